import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as previewTests } from '@/app/api/admin/kb/preview-tests/route';
import * as schema from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { importCases } from '@/lib/desk-tests/cases';
import { readDeskVersion } from '@/lib/desk-tests/desk-version';
import type { KbPreview } from '@/lib/desk-tests/kb-preview';
import { parseArticle } from '@/lib/kb/article';
import { getDocumentBySlug } from '@/lib/kb/queries';
import { type KbPreviewProgress, openKbPreview, startRun } from '@/lib/server/desk-tests';
import { signedInStaff, startServedTestApp } from '../harness/app';

/** An article only this desk has, so what the cases find can only come from it. */
const ENGRAVING = `---
title: Engraving
slug: engraving
category: orders-shipping
summary: Having a name or a message engraved on an item, and what it costs.
---

## Engraving

Parcelly engraves watches, bottles and jewellery bought in its shop. Engraving costs S$8 per item and adds two business days to delivery. Choose "Engrave it" on the product page.
`;

/** The same article as an admin might edit it: the price gone, the length limit added. */
const EDITED_BODY = `## Engraving

Parcelly engraves watches, bottles and jewellery bought in its shop. It adds two business days to delivery. Choose "Engrave it" on the product page.

## Engraving text

An engraving can be up to 24 characters long, letters and digits only.`;

const NEW_ARTICLE = `---
title: Parcel lockers
category: orders-shipping
---

## Parcel lockers

Parcelly can deliver to any Pick-Up Locker in Singapore. A locker holds your parcel for 72 hours before it goes back to the depot.`;

const SUITE = [
  {
    id: 'engraving-price',
    turns: ['How much does engraving cost?'],
    expect: { kind: 'answer', article: 'engraving', facts: ['S\\$8'] },
  },
  {
    id: 'engraving-length',
    turns: ['How long can the engraving text be?'],
    expect: { kind: 'answer', facts: ['24 characters'] },
  },
  {
    id: 'locker-hold-time',
    turns: ['How long does a pick-up locker hold my parcel?'],
    expect: { kind: 'answer', facts: ['72 hours'] },
  },
  { id: 'hello', turns: ['hi there'], expect: { kind: 'smalltalk' } },
]
  .map((c) => JSON.stringify(c))
  .join('\n');

let live: AppContext;
let stop: () => Promise<void>;
let adminCookie: string;
let engravingId: string;

beforeAll(async () => {
  ({ app: live, stop } = await startServedTestApp({ TANDEM_JOBS_WORKER: 'false' }));
  adminCookie = (await signedInStaff(live, 'admin', 'Ada Admin')).cookie;
  const { document } = await live.kb.indexArticle(parseArticle(ENGRAVING, 'engraving.md'));
  engravingId = document.id;
}, 240_000);
afterAll(() => stop?.());

/** What a preview could change on the live desk: the article, its passages, the runs. */
async function liveState() {
  const { db } = live.database;
  const document = await getDocumentBySlug(db, 'engraving');
  const [chunks] = await db
    .select({ n: count() })
    .from(schema.kbChunks)
    .where(eq(schema.kbChunks.documentId, engravingId));
  const [runs] = await db.select({ n: count() }).from(schema.deskTestRuns);
  const [conversations] = await db.select({ n: count() }).from(schema.conversations);
  return {
    content: document?.content,
    hash: document?.contentHash,
    chunks: chunks!.n,
    runs: runs!.n,
    conversations: conversations!.n,
    desk: await readDeskVersion(db, 'copy'),
  };
}

const outcome = (preview: KbPreview) => ({
  breaks: preview.breaks.map((c) => [c.caseId, c.before, c.after, c.failures.map((f) => f.code)]),
  fixes: preview.fixes.map((c) => [c.caseId, c.before, c.after, c.failures.map((f) => f.code)]),
});

describe('running the tests on a knowledge-base draft', () => {
  it('shows the cases an edit breaks and fixes, and leaves the live knowledge base as it was', async () => {
    await importCases(live.database.db, SUITE, { replace: true });
    const before = await liveState();
    const progress: KbPreviewProgress[] = [];

    const preview = await openKbPreview(live, {
      action: 'edit',
      id: engravingId,
      body: EDITED_BODY,
    });
    expect(preview.cases).toBe(4);
    const result = await preview.run((p) => progress.push(p));

    expect(outcome(result)).toEqual({
      // The price went: the case that needs it now fails, and says why.
      breaks: [['engraving-price', 'pass', 'fail', ['missing_fact']]],
      // The length limit came: the case that asked for it passes; its live failure is shown.
      fixes: [['engraving-length', 'fail', 'pass', ['missing_fact']]],
    });
    expect(result.breaks[0]!.failures[0]!.message).toBe('the reply lacks /S\\$8/');
    expect(result.change).toEqual({
      action: 'edit',
      slug: 'engraving',
      title: 'Engraving',
    });
    expect(result.summary).toMatchObject({
      n: 4,
      k: 1,
      model: 'tandem:offline-extractive',
      // The locker case fails either way: not the draft's doing.
      stillFailing: 1,
      live: { n: 4, passed: 2 },
      draft: { n: 4, passed: 2 },
    });
    expect(result.summary.content.live).toEqual(before.desk);
    expect(result.summary.content.draft.kb).not.toBe(before.desk.kb);
    expect(progress[0]).toEqual({ stage: 'starting', done: 0, total: 4 });
    expect(progress.at(-1)).toEqual({ stage: 'draft', done: 4, total: 4 });
    expect(progress.some((p) => p.stage === 'live' && p.done === 4)).toBe(true);

    // Nothing was published: the same text and passages, no run stored, no conversation.
    expect(await liveState()).toEqual(before);
  }, 300_000);

  it('shows a new article fixing the case that needs it, and a deletion breaking the one that needs the article', async () => {
    const before = await liveState();

    const added = await (await openKbPreview(live, { action: 'add', markdown: NEW_ARTICLE })).run();
    expect(added.change).toEqual({
      action: 'add',
      slug: 'parcel-lockers',
      title: 'Parcel lockers',
    });
    expect(outcome(added)).toEqual({
      breaks: [],
      // Live, the desk has nothing on lockers and says so.
      fixes: [['locker-hold-time', 'fail', 'pass', ['abstained', 'missing_fact']]],
    });

    const deleted = await (await openKbPreview(live, { action: 'delete', id: engravingId })).run();
    expect(deleted.breaks.map((c) => c.caseId)).toEqual(['engraving-price']);
    expect(deleted.breaks[0]!.failures.map((f) => f.code)).toContain('missing_citation');

    expect(await liveState()).toEqual(before);
    expect(await getDocumentBySlug(live.database.db, 'parcel-lockers')).toBeNull();
  }, 300_000);

  it('refuses a draft naming no document, or with no cases to run, before running anything', async () => {
    await expect(
      openKbPreview(live, { action: 'delete', id: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'not_found:kb_document' });
    await live.database.db.delete(schema.deskTestCases);
    await expect(openKbPreview(live, { action: 'delete', id: engravingId })).rejects.toMatchObject({
      code: 'bad_request:desk_tests',
    });
    await importCases(live.database.db, SUITE, { replace: true });
  });

  it('takes the run slot: no run starts while a draft is tested, and no draft while a run goes', async () => {
    const preview = await openKbPreview(live, { action: 'delete', id: engravingId });
    await expect(startRun(live, { startedBy: { name: 'Bob' } })).rejects.toMatchObject({
      code: 'conflict:desk_test_run',
    });
    await expect(openKbPreview(live, { action: 'delete', id: engravingId })).rejects.toMatchObject({
      code: 'conflict:desk_test_run',
    });
    const aborted = new AbortController();
    aborted.abort();
    await expect(preview.run(undefined, aborted.signal)).rejects.toThrow();

    // Released when the preview ended, even cut short.
    const { finished } = await startRun(live, { startedBy: { name: 'Bob' } });
    await expect(openKbPreview(live, { action: 'delete', id: engravingId })).rejects.toMatchObject({
      code: 'conflict:desk_test_run',
    });
    expect((await finished).status).toBe('completed');
  }, 300_000);
});

describe('POST /api/admin/kb/preview-tests', () => {
  const send = (body: unknown, cookie: string | null = adminCookie) =>
    previewTests(
      new Request('http://localhost/api/admin/kb/preview-tests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({}) },
    );

  it('streams progress, then what the draft breaks and fixes', async () => {
    const before = await liveState();
    const response = await send({
      change: { action: 'edit', id: engravingId, body: EDITED_BODY },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ type: 'progress', stage: 'starting', done: 0, total: 4 });
    const done = lines.at(-1);
    expect(done.type).toBe('done');
    expect(done.breaks.map((c: { caseId: string }) => c.caseId)).toEqual(['engraving-price']);
    expect(done.fixes.map((c: { caseId: string }) => c.caseId)).toEqual(['engraving-length']);
    expect(done.summary).toMatchObject({ n: 4, stillFailing: 1 });
    expect(await liveState()).toEqual(before);
  }, 300_000);

  it('answers a bad draft, an unknown document or an agent with its 4xx before streaming', async () => {
    const invalid = await send({ change: { action: 'rename', id: engravingId } });
    expect(invalid.status).toBe(400);
    const unknown = await send({
      change: { action: 'edit', id: '00000000-0000-4000-8000-000000000000', body: 'x' },
    });
    expect(unknown.status).toBe(404);
    const agent = await signedInStaff(live, 'agent', 'Dana Agent');
    const forbidden = await send({ change: { action: 'delete', id: engravingId } }, agent.cookie);
    expect(forbidden.status).toBe(403);
  });
});
