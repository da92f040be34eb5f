import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PreviewResult } from '@/components/admin/knowledge/draft-tests';
import { type PreviewProgress, previewTests } from '@/components/admin/knowledge/preview-tests';
import type { KbPreview } from '@/lib/desk-tests/kb-preview';
import { summarize } from '@/lib/desk-tests/score';

const version = { source: 'copy', documents: 21, kb: 'a', settings: 'b', classifier: 'c' } as const;

const PREVIEW: KbPreview = {
  change: { action: 'edit', slug: 'engraving', title: 'Engraving' },
  breaks: [
    {
      caseId: 'engraving-price',
      kind: 'answer',
      before: 'pass',
      after: 'fail',
      failures: [{ code: 'missing_fact', message: 'the reply lacks /S\\$8/' }],
      reply: 'Parcelly engraves watches, bottles and jewellery.',
    },
  ],
  fixes: [
    {
      caseId: 'engraving-length',
      kind: 'answer',
      before: 'fail',
      after: 'pass',
      failures: [{ code: 'abstained', message: 'declined instead of answering' }],
      reply: "I'm sorry, I don't know the answer to that.",
    },
  ],
  summary: {
    n: 3,
    k: 1,
    model: 'tandem:offline-extractive',
    live: summarize([
      { kind: 'answer', passes: 1, attempts: 1 },
      { kind: 'answer', passes: 0, attempts: 1 },
      { kind: 'answer', passes: 0, attempts: 1 },
    ]),
    draft: summarize([
      { kind: 'answer', passes: 0, attempts: 1 },
      { kind: 'answer', passes: 1, attempts: 1 },
      { kind: 'answer', passes: 0, attempts: 1 },
    ]),
    stillFailing: 1,
    content: { live: version, draft: { ...version, kb: 'd' } },
    ms: 4200,
  },
};

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('what the knowledge-base editor shows after running the tests on a change', () => {
  it('names each case the change would break and fix, its kind and why it fails', () => {
    const shown = text(
      renderToStaticMarkup(createElement(PreviewResult, { preview: PREVIEW, outdated: false })),
    );
    expect(shown).toContain(
      'With this change 1 of 3 cases pass (1 today): 1 would break , 1 would be fixed, 1 fail either way.',
    );
    expect(shown).toContain(
      'Would break engraving-price answer passes today, fails with the change missing_fact the reply lacks /S\\$8/',
    );
    expect(shown).toContain(
      'Would be fixed engraving-length answer fails today, passes with the change abstained declined instead of answering',
    );
    expect(shown).not.toContain('run the tests again');
  });

  it('says so when the text has changed since the results', () => {
    const shown = text(
      renderToStaticMarkup(createElement(PreviewResult, { preview: PREVIEW, outdated: true })),
    );
    expect(shown).toContain('You have changed the text since these results');
  });

  it('says plainly when nothing would break', () => {
    const shown = text(
      renderToStaticMarkup(
        createElement(PreviewResult, {
          preview: { ...PREVIEW, breaks: [], fixes: [] },
          outdated: false,
        }),
      ),
    );
    expect(shown).toContain('nothing would break , none would be fixed, 1 fail either way.');
    expect(shown).not.toContain('Would break');
  });
});

describe('following the tests on a change as they run', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** A streamed answer cut into chunks that split lines, as a network would. */
  const streamed = (body: string, chunk = 7) =>
    new Response(
      new ReadableStream({
        start(controller) {
          for (let i = 0; i < body.length; i += chunk)
            controller.enqueue(new TextEncoder().encode(body.slice(i, i + chunk)));
          controller.close();
        },
      }),
      { headers: { 'content-type': 'application/x-ndjson' } },
    );
  const lines = (...events: object[]) => events.map((e) => `${JSON.stringify(e)}\n`).join('');

  it('reports each stage as a share of the whole, and resolves to what would break and fix', async () => {
    const fetch = vi.fn(async () =>
      streamed(
        lines(
          { type: 'progress', stage: 'starting', done: 0, total: 4 },
          { type: 'progress', stage: 'live', done: 2, total: 4 },
          { type: 'progress', stage: 'draft', done: 4, total: 4 },
          { type: 'done', ...PREVIEW },
        ),
      ),
    );
    vi.stubGlobal('fetch', fetch);
    const progress: PreviewProgress[] = [];
    const change = { action: 'delete', id: '00000000-0000-4000-8000-000000000000' } as const;

    expect(await previewTests(change, (p) => progress.push(p))).toEqual(PREVIEW);
    expect(progress).toEqual([
      { percent: 0, label: 'Copying the desk into a sandbox' },
      { percent: 28, label: 'Live knowledge base: 2 of 4 cases' },
      { percent: 100, label: 'With your change: 4 of 4 cases' },
    ]);
    expect(fetch).toHaveBeenCalledWith(
      '/api/admin/kb/preview-tests',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ change }) }),
    );
  });

  it('throws the server’s message for a refusal, an error line, or a stream that ends early', async () => {
    const change = { action: 'delete', id: '00000000-0000-4000-8000-000000000000' } as const;
    vi.stubGlobal('fetch', async () =>
      Response.json(
        { error: { code: 'conflict:desk_test_run', message: 'A test run is already in progress' } },
        { status: 409 },
      ),
    );
    await expect(previewTests(change, () => {})).rejects.toThrow(
      'A test run is already in progress',
    );
    vi.stubGlobal('fetch', async () =>
      streamed(lines({ type: 'error', error: { code: 'internal', message: 'It broke' } })),
    );
    await expect(previewTests(change, () => {})).rejects.toThrow('It broke');
    vi.stubGlobal('fetch', async () =>
      streamed(lines({ type: 'progress', stage: 'live', done: 1, total: 4 })),
    );
    await expect(previewTests(change, () => {})).rejects.toThrow(
      /stopped before the tests finished/,
    );
  });
});
