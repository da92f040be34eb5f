import { CopyButton } from './copy-button';

/** The script tag and the iframe for putting the chat on a site, each with a Copy button. */
export function EmbedSnippets({ script, iframe }: { script: string; iframe: string }) {
  const snippets = [
    {
      id: 'embed-script',
      title: 'Script tag',
      hint: 'Paste before </body>: a chat button in the corner opens the widget.',
      code: script,
    },
    {
      id: 'embed-iframe',
      title: 'Iframe',
      hint: 'Puts the chat itself into a page, e.g. on a contact page.',
      code: iframe,
    },
  ];
  return (
    <div className="space-y-3">
      {snippets.map((s) => (
        <section key={s.id} aria-labelledby={s.id} className="space-y-1">
          <div className="flex items-center justify-between gap-2">
            <h3 id={s.id} className="text-sm font-medium">
              {s.title}
            </h3>
            <CopyButton text={s.code} label={`Copy ${s.title.toLowerCase()}`} />
          </div>
          <p className="text-xs text-ink-500">{s.hint}</p>
          <pre className="overflow-x-auto rounded bg-gray-900 p-2 text-xs text-gray-100">
            <code>{s.code}</code>
          </pre>
        </section>
      ))}
    </div>
  );
}
