import type { WidgetSettings } from './schema';

/** The two ways to put the chat on a site, for a Tandem served at `origin`. */
export function embedSnippets(origin: string, widget: Pick<WidgetSettings, 'name'>) {
  const title = escapeAttribute(widget.name);
  return {
    script: `<script src="${origin}/embed.js" async></script>`,
    iframe: `<iframe src="${origin}/widget" title="${title}" style="width:400px;height:640px;max-width:100%;border:1px solid #e5e7eb;border-radius:16px"></iframe>`,
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
