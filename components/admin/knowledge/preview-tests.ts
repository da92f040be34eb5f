import type { KbDraft, KbPreview } from '@/lib/desk-tests/kb-preview';
import type { KbPreviewProgress } from '@/lib/server/desk-tests';

export type { KbDraft, KbPreview };

type Line =
  | ({ type: 'progress' } & KbPreviewProgress)
  | ({ type: 'done' } & KbPreview)
  | { type: 'error'; error: { message: string } };

/** Share of the bar each stage fills: the sandbox starting, the live run, the run with the draft. */
const STAGE_RANGE: Record<KbPreviewProgress['stage'], [number, number]> = {
  starting: [0, 5],
  live: [5, 50],
  draft: [50, 100],
};

export interface PreviewProgress {
  percent: number;
  label: string;
}

function describeProgress({ stage, done, total }: KbPreviewProgress): PreviewProgress {
  const [from, to] = STAGE_RANGE[stage];
  const percent = Math.round(from + (to - from) * (total > 0 ? done / total : 0));
  switch (stage) {
    case 'starting':
      return { percent, label: 'Copying the desk into a sandbox' };
    case 'live':
      return { percent, label: `Live knowledge base: ${done} of ${total} cases` };
    case 'draft':
      return { percent, label: `With your change: ${done} of ${total} cases` };
  }
}

/**
 * Runs the desk's test cases on a knowledge-base draft (nothing is published) and follows the
 * server's NDJSON progress; resolves to what the draft would break and fix. Aborting the signal
 * stops the work on the server too.
 */
export async function previewTests(
  change: KbDraft,
  onProgress: (progress: PreviewProgress) => void,
  signal?: AbortSignal,
): Promise<KbPreview> {
  const response = await fetch('/api/admin/kb/preview-tests', {
    method: 'POST',
    cache: 'no-store',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ change }),
    signal,
  });
  if (!response.ok || !response.body) {
    const failure = (await response.json().catch(() => null)) as {
      error?: { message?: string };
    } | null;
    throw new Error(failure?.error?.message ?? `The tests could not start (${response.status}).`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffered += read.value;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const raw of lines) {
      if (!raw.trim()) continue;
      const line = JSON.parse(raw) as Line;
      if (line.type === 'progress') onProgress(describeProgress(line));
      else if (line.type === 'done') {
        const { type: _, ...preview } = line;
        return preview;
      } else throw new Error(line.error.message);
    }
  }
  throw new Error('The server stopped before the tests finished. Try again.');
}
