import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import {
  advanceRun,
  loadActiveRun,
  loadDraft,
  loadPublished,
  publishProcedure,
  saveDraft,
  startRun,
} from '@/lib/procedures/store';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

const NOW = { now: new Date('2026-12-10T08:00:00Z') };
const returns = (
  JSON.parse(readFileSync(path.join(process.cwd(), 'content/demo/procedures.json'), 'utf8')) as {
    procedures: { steps: { id: string; prompt?: string }[] }[];
  }
).procedures[0]!;

let database: TestDatabaseContext;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function newConversation(): Promise<string> {
  const customer = await createAnonymousCustomer(database.db);
  return (await recordCustomerMessage(database.db, { customerId: customer.id, content: 'Hi' }))
    .conversation.id;
}

describe('procedure store', () => {
  it('keeps a run on the conversation across instances, with an optimistic guard', async () => {
    const draft = await saveDraft(database.db, returns);
    expect(await loadPublished(database.db, draft.name)).toBeNull();
    await publishProcedure(database.db, draft.id);
    const procedure = (await loadPublished(database.db, draft.name))!;
    const conversationId = await newConversation();

    const started = await startRun(database.db, { conversationId, procedure }, NOW);
    expect(started.effects[0]).toMatchObject({ type: 'ask', value: 'order_number' });
    await expect(startRun(database.db, { conversationId, procedure })).rejects.toMatchObject({
      code: 'conflict:procedure_run',
    });

    // Two instances read the same row; the first to store its step wins.
    const first = (await loadActiveRun(database.db, conversationId))!;
    const second = (await loadActiveRun(database.db, conversationId))!;
    const moved = await advanceRun(database.db, first, { type: 'reply', text: '#PC104962' }, NOW);
    expect(moved.effects).toEqual([
      {
        type: 'call',
        action: 'order_status',
        input: { order_number: '#PC104962' },
        result: 'order',
      },
    ]);
    await expect(
      advanceRun(database.db, second, { type: 'reply', text: '#PC104518' }, NOW),
    ).rejects.toMatchObject({ code: 'conflict:procedure_run' });

    const third = (await loadActiveRun(database.db, conversationId))!;
    expect(third).toMatchObject({
      stepId: 'look-up',
      waiting: 'action',
      values: { order_number: '#PC104962' },
    });
    const left = await advanceRun(database.db, third, { type: 'reply', text: 'forget it' }, NOW);
    expect(left.run.status).toBe('left');
    expect(left.run.finishedAt).not.toBeNull();
    expect(await loadActiveRun(database.db, conversationId)).toBeNull();
  });

  it('pins a run to the version it started on', async () => {
    const name = 'returns_versioned';
    const v1 = await saveDraft(database.db, { ...returns, name });
    await publishProcedure(database.db, v1.id);
    const conversationId = await newConversation();
    const run = await startRun(database.db, {
      conversationId,
      procedure: (await loadPublished(database.db, name))!,
    });
    expect(run.run.version).toBe(1);

    const changed = {
      ...returns,
      name,
      steps: returns.steps.map((s) =>
        s.id === 'ask-order' ? { ...s, prompt: 'Order number, please?' } : s,
      ),
    };
    await saveDraft(database.db, changed);
    expect((await loadDraft(database.db, name))?.version).toBe(2);
    const published = await publishProcedure(database.db, v1.id);
    expect(published).toMatchObject({ publishedVersion: 2, version: 3 });

    // An invalid reply re-asks with version 1's words; a new run gets version 2's.
    const again = await advanceRun(database.db, run.run, { type: 'reply', text: 'hmm' }, NOW);
    expect(again.effects[0]).toMatchObject({
      type: 'ask',
      prompt: expect.stringMatching(/^I couldn't find/),
    });
    expect(again.run.version).toBe(1);
    const fresh = await startRun(database.db, {
      conversationId: await newConversation(),
      procedure: (await loadPublished(database.db, name))!,
    });
    expect(fresh.effects[0]).toMatchObject({ prompt: 'Order number, please?' });
  });

  it('refuses an invalid draft', async () => {
    await expect(saveDraft(database.db, { ...returns, steps: [] })).rejects.toMatchObject({
      code: 'bad_request:procedure',
    });
  });
});
