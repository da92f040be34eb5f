import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '@/db/schema';
import { createAction } from '@/lib/actions/queries';
import { decryptSecret } from '@/lib/actions/secrets';
import type { AppContext } from '@/lib/context';
import { recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { getProcedure, listProcedures } from '@/lib/procedures/manage';
import {
  listPublished,
  loadPublished,
  loadRunProcedure,
  publishDraftsForTesting,
  publishProcedure,
  saveDraft,
  startRun,
} from '@/lib/procedures/store';
import { openSandbox } from '@/lib/server/sandbox';
import { startTestApp } from '../harness/app';

/*
 * A procedure's version is all of it: what it is for (its description and example phrasings,
 * which a request is matched against) as well as its steps. Editing only the text makes a draft
 * that customers do not get until it is published, and a test sandbox can run the drafts first.
 */

const returns = (
  JSON.parse(readFileSync(path.join(process.cwd(), 'content/demo/procedures.json'), 'utf8')) as {
    procedures: { name: string; description: string; examples: string[] }[];
  }
).procedures[0]!;

let live: AppContext;
let stop: () => Promise<void>;
beforeAll(async () => {
  const started = await startTestApp({ TANDEM_JOBS_WORKER: 'false' });
  live = started.app;
  stop = started.stop;
}, 240_000);
afterAll(async () => {
  await stop?.();
});

const byName = async (db: AppContext['database']['db'], name: string) =>
  (await listPublished(db)).find((p) => p.definition.name === name);

describe('procedure versions', () => {
  it('publish the description and example phrasings with the steps', async () => {
    const { db } = live.database;
    const name = 'returns_text_versioned';
    const v1 = await saveDraft(db, { ...returns, name });
    await publishProcedure(db, v1.id);
    const conversationId = (
      await recordCustomerMessage(db, {
        customerId: (await createAnonymousCustomer(db)).id,
        content: 'Hi',
      })
    ).conversation.id;
    const { run } = await startRun(db, {
      conversationId,
      procedure: (await loadPublished(db, name))!,
    });

    // Only the text changes: a draft customers do not get yet.
    await saveDraft(db, {
      ...returns,
      name,
      description: 'Sends an item back for a refund or an exchange.',
      examples: ['I want to exchange my shoes'],
    });
    const summary = (await listProcedures(db)).find((p) => p.name === name)!;
    expect(summary.draft).toBe('changed');
    expect((await byName(db, name))?.definition).toMatchObject({
      description: returns.description,
      examples: returns.examples,
    });
    const detail = await getProcedure(db, v1.id);
    expect(detail.definition.examples).toEqual(['I want to exchange my shoes']);
    expect(detail.published?.examples).toEqual(returns.examples);

    await publishProcedure(db, v1.id);
    expect((await byName(db, name))?.definition).toMatchObject({
      description: 'Sends an item back for a refund or an exchange.',
      examples: ['I want to exchange my shoes'],
    });
    const versions = (await getProcedure(db, v1.id)).versions;
    expect(versions.map((v) => [v.version, v.examples])).toEqual([
      [2, ['I want to exchange my shoes']],
      [1, returns.examples],
    ]);
    // A run started on version 1 still reads as version 1.
    expect((await loadRunProcedure(db, run))?.definition.description).toBe(returns.description);
    expect((await listProcedures(db)).find((p) => p.name === name)?.draft).toBe('published');
  });

  it('publish for testing only the drafts that differ', async () => {
    const { db } = live.database;
    const name = 'returns_for_testing';
    const row = await saveDraft(db, { ...returns, name });
    await publishProcedure(db, row.id);
    const before = await publishDraftsForTesting(db);
    expect(before).not.toContain(name);
    await saveDraft(db, { ...returns, name, examples: ['Send it back'] });
    expect(await publishDraftsForTesting(db)).toContain(name);
  });
});

describe('a test sandbox of a desk', () => {
  it('copies its procedures and actions (secrets sealed again) and runs the drafts when asked', async () => {
    const { db } = live.database;
    const name = 'returns_sandboxed';
    const row = await saveDraft(db, { ...returns, name });
    await publishProcedure(db, row.id);
    await saveDraft(db, { ...returns, name, examples: ['Can I send this back?'] });
    await createAction(db, live.secret, {
      kind: 'http',
      name: 'sandboxed_lookup',
      label: 'Look up',
      description: 'Looks something up.',
      effect: 'read',
      inputs: [],
      http: {
        method: 'GET',
        url: 'https://shop.example.com/x',
        headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-token', secret: true }],
        responseFields: [],
      },
    });

    const published = await openSandbox({ copyOf: live });
    try {
      const sdb = published.app.database.db;
      expect((await byName(sdb, name))?.definition.examples).toEqual(returns.examples);
      const [copied] = await sdb.select().from(actions).where(eq(actions.name, 'sandboxed_lookup'));
      expect(published.app.secret).not.toBe(live.secret);
      expect(
        decryptSecret(published.app.secret, 'authorization', copied!.secrets.authorization!),
      ).toBe('Bearer s3cr3t-token');
    } finally {
      await published.close();
    }

    const drafts = await openSandbox({ copyOf: live }, { procedures: 'drafts' });
    try {
      const sdb = drafts.app.database.db;
      expect((await byName(sdb, name))?.definition.examples).toEqual(['Can I send this back?']);
    } finally {
      await drafts.close();
    }
    // The live desk's customers still get the published version.
    expect((await byName(db, name))?.definition.examples).toEqual(returns.examples);
  }, 120_000);
});
