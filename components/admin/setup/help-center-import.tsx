'use client';

import { type FormEvent, useState } from 'react';
import { buttonClass, inputClass, secondaryButtonClass, sectionClass } from '../use-action';

type Line =
  | { type: 'progress'; done: number; total: number; name: string }
  | {
      type: 'done';
      added: { id: string; title: string; changed: boolean }[];
      failed: { name: string; message: string }[];
    }
  | { type: 'error'; error: { message: string } };

type Outcome = Extract<Line, { type: 'done' }>;

/** Sends a zip or a sitemap to the import route and follows its NDJSON progress. */
async function runImport(
  body: FormData | { sitemap: string },
  onProgress: (line: Extract<Line, { type: 'progress' }>) => void,
): Promise<Outcome> {
  const response = await fetch('/api/admin/setup/import', {
    method: 'POST',
    ...(body instanceof FormData
      ? { body }
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok || !response.body) {
    const failure = (await response.json().catch(() => null)) as {
      error?: { message?: string };
    } | null;
    throw new Error(failure?.error?.message ?? `The import failed (${response.status}).`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffered += value;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const raw of lines) {
      if (!raw.trim()) continue;
      const line = JSON.parse(raw) as Line;
      if (line.type === 'progress') onProgress(line);
      else if (line.type === 'done') return line;
      else throw new Error(line.error.message);
    }
    if (done) throw new Error('The import stopped before it finished.');
  }
}

/** A whole help center at once: a zip of Markdown or HTML files, or a site's sitemap. */
export function HelpCenterImport({ onImported }: { onImported: () => void }) {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function start(body: FormData | { sitemap: string }) {
    setBusy(true);
    setError(null);
    setOutcome(null);
    setProgress('Reading…');
    try {
      const result = await runImport(body, (line) =>
        setProgress(
          line.done < line.total
            ? `Importing ${line.done + 1} of ${line.total}: ${line.name}`
            : `Imported ${line.total}`,
        ),
      );
      setOutcome(result);
      onImported();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  function uploadZip(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) {
      setError('Choose a .zip file first.');
      return;
    }
    void start(form);
  }

  function fromSitemap(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const sitemap = String(new FormData(event.currentTarget).get('sitemap') ?? '').trim();
    if (sitemap) void start({ sitemap });
  }

  return (
    <section aria-labelledby="import-heading" className={sectionClass}>
      <h3 id="import-heading" className="font-medium">
        Import a help center
      </h3>
      <form
        onSubmit={uploadZip}
        aria-label="Import a zip"
        className="flex flex-wrap items-center gap-2"
      >
        <label className="text-sm">
          Zip of Markdown or HTML files{' '}
          <input name="file" type="file" accept=".zip,application/zip" className="text-sm" />
        </label>
        <button type="submit" disabled={busy} className={buttonClass}>
          Import zip
        </button>
      </form>
      <form onSubmit={fromSitemap} aria-label="Import a sitemap" className="flex flex-wrap gap-2">
        <input
          name="sitemap"
          type="url"
          required
          aria-label="Sitemap address"
          placeholder="https://help.example.com/sitemap.xml"
          className={`${inputClass} min-w-64 flex-1`}
        />
        <button type="submit" disabled={busy} className={secondaryButtonClass}>
          Import sitemap
        </button>
      </form>
      {progress && (
        <p role="status" className="text-sm text-ink-500">
          {progress}
        </p>
      )}
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {outcome && (
        <div role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-800">
          <p>
            Imported {outcome.added.length} article{outcome.added.length === 1 ? '' : 's'}
            {outcome.failed.length > 0 ? `; ${outcome.failed.length} could not be read` : ''}.
          </p>
          <ul className="mt-1 list-disc pl-5">
            {outcome.added.map((a) => (
              <li key={a.id}>{a.title}</li>
            ))}
            {outcome.failed.map((f) => (
              <li key={f.name} className="text-red-700">
                {f.name}: {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
