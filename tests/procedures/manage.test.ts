import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import { createAction } from '@/lib/actions/queries';
import { recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import type { TandemError } from '@/lib/errors';
import {
  createProcedure,
  deleteProcedure,
  findProcedure,
  getProcedure,
  listProcedures,
  procedureVersions,
  publishProcedureDraft,
  saveProcedureDraft,
} from '@/lib/procedures/manage';
import { loadDraft, loadPublished, startRun } from '@/lib/procedures/store';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

const ADA = { type: 'staff' as const, id: crypto.randomUUID(), name: 'Ada' };
const returns = (
  JSON.parse(readFileSync(path.join(process.cwd(), 'content/demo/procedures.json'), 'utf8')) as {
    procedures: Record<string, unknown>[];
  }
).procedures[0]!;

const shopAction = (name: string, inputs: string[]) => ({
  kind: 'http',
  name,
  label: name,
  description: `The shop's ${name}.`,
  effect: name === 'order_status' ? 'read' : 'write',
  inputs: [
    ...inputs.map((input) => ({ name: input, type: 'string' })),
    { name: 'customer', type: 'string', fromCustomer: 'site_user_id' },
  ],
  http: { method: 'GET', url: `https://shop.example/${name}/{input.order_number}` },
});

const giftWrap = (pattern = '#?PC\\d{6}') => ({
  name: 'gift_wrap',
  description: 'A customer wants an order gift-wrapped.',
  examples: ['Can you gift-wrap my order?'],
  steps: [
    {
      id: 'ask-order',
      type: 'ask',
      value: 'order_number',
      pattern,
      prompt: 'Which order?',
    },
    { id: 'done', type: 'end', text: 'We will wrap {order_number}.' },
  ],
});

const fieldsOf = (error: unknown) =>
  ((error as TandemError).details as { fields: { field: string; message: string }[] }).fields;

let database: TestDatabaseContext;
beforeAll(async () => {
  database = await openTestDatabase();
  await createAction(database.db, database.secret, shopAction('order_status', ['order_number']));
  await createAction(
    database.db,
    database.secret,
    shopAction('start_return', ['order_number', 'reason']),
  );
});
afterAll(async () => {
  await database?.close();
});

describe('managing procedures', () => {
  it('creates a draft, publishes versions and keeps their history', async () => {
    const created = await createProcedure(database.db, ADA, giftWrap());
    expect(created).toMatchObject({
      name: 'gift_wrap',
      draft: 'new',
      draftVersion: 1,
      publishedVersion: null,
      stepCount: 2,
      versions: [],
      published: null,
    });
    expect(await loadPublished(database.db, 'gift_wrap')).toBeNull();

    const first = await publishProcedureDraft(database.db, ADA, created.id);
    expect(first).toMatchObject({ draft: 'published', publishedVersion: 1, draftVersion: 2 });
    expect(first.versions).toMatchObject([{ version: 1, current: true, publishedBy: 'Ada' }]);
    await expect(publishProcedureDraft(database.db, ADA, created.id)).rejects.toMatchObject({
      code: 'conflict:procedure',
    });

    const changed = giftWrap();
    changed.steps.splice(1, 0, { id: 'thanks', type: 'say', text: 'Thanks.' } as never);
    const saved = await saveProcedureDraft(database.db, ADA, created.id, changed);
    expect(saved).toMatchObject({ draft: 'changed', publishedVersion: 1, stepCount: 3 });
    // The live version is untouched by a saved draft; tests can run the draft.
    expect((await loadPublished(database.db, 'gift_wrap'))!.definition.steps).toHaveLength(2);
    expect((await loadDraft(database.db, 'gift_wrap'))!.definition.steps).toHaveLength(3);

    await publishProcedureDraft(database.db, ADA, created.id);
    const versions = await procedureVersions(database.db, created.id);
    expect(versions.map((v) => [v.version, v.current, v.steps.length])).toEqual([
      [2, true, 3],
      [1, false, 2],
    ]);
    expect(versions[0]!.publishedAt).toBeInstanceOf(Date);

    const listed = (await listProcedures(database.db)).find((p) => p.id === created.id);
    expect(listed).toMatchObject({ publishedVersion: 2, draftVersion: 3, draft: 'published' });
    expect((await findProcedure(database.db, 'gift_wrap')).id).toBe(created.id);
    expect((await findProcedure(database.db, created.id)).name).toBe('gift_wrap');
  });

  it('puts each change on the audit trail, in words', async () => {
    const created = await createProcedure(database.db, ADA, { ...giftWrap(), name: 'audited' });
    await publishProcedureDraft(database.db, ADA, created.id);
    await deleteProcedure(database.db, ADA, created.id);
    const entries = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, created.id));
    expect(entries.map((e) => [e.action, e.actorName, e.details.summary]).sort()).toEqual([
      ['procedure.created', 'Ada', 'Created procedure audited as a draft with 2 steps.'],
      ['procedure.deleted', 'Ada', 'Deleted procedure audited (published version 1).'],
      ['procedure.published', 'Ada', 'Published version 1 of audited (2 steps).'],
    ]);
  });

  it('names each field at fault, and stores nothing', async () => {
    const bad = await createProcedure(database.db, ADA, { ...giftWrap('(PC'), name: 'bad_one' })
      .then(() => null)
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'bad_request:procedure', status: 400 });
    expect(fieldsOf(bad)).toEqual([
      { field: 'steps.0.pattern', message: 'must be a valid regular expression' },
    ]);

    const unset = await createProcedure(database.db, ADA, {
      ...giftWrap(),
      name: 'reads_unset',
      steps: [{ id: 'done', type: 'end', text: 'Done with {order_number}.' }],
    }).catch((e: unknown) => e);
    expect(fieldsOf(unset)).toEqual([
      {
        field: 'steps.0.text',
        message: '"order_number" is not asked for or produced on every path before this step',
      },
    ]);
    expect((await listProcedures(database.db)).map((p) => p.name)).not.toContain('bad_one');
  });

  it('checks call steps against the defined actions and their inputs', async () => {
    const call = (action: string, input: Record<string, string>) => ({
      name: 'calls',
      description: 'Calls an action.',
      steps: [
        { id: 'ask', type: 'ask', value: 'order_number', prompt: 'Which order?' },
        { id: 'look', type: 'call', action, input, result: 'order' },
        { id: 'end', type: 'end' },
      ],
    });
    const unknown = await createProcedure(database.db, ADA, call('no_such_action', {})).catch(
      (e: unknown) => e,
    );
    expect(fieldsOf(unknown)).toEqual([
      {
        field: 'steps.1.action',
        message: 'no action "no_such_action" is defined; add it under Actions first',
      },
    ]);
    const wrongInputs = await createProcedure(
      database.db,
      ADA,
      call('start_return', { order_number: 'order_number', customer: 'order_number' }),
    ).catch((e: unknown) => e);
    expect(fieldsOf(wrongInputs).map((f) => f.field)).toEqual([
      'steps.1.input.customer',
      'steps.1.input.reason',
    ]);
    const ok = await createProcedure(
      database.db,
      ADA,
      call('order_status', { order_number: 'order_number' }),
    );
    expect(ok.definition.steps[1]).toMatchObject({ type: 'call', action: 'order_status' });
  });

  it('refuses a taken name, a renamed draft and an unknown procedure', async () => {
    await expect(createProcedure(database.db, ADA, giftWrap())).rejects.toMatchObject({
      code: 'conflict:procedure',
    });
    const { id } = await findProcedure(database.db, 'gift_wrap');
    const renamed = await saveProcedureDraft(database.db, ADA, id, {
      ...giftWrap(),
      name: 'other_name',
    }).catch((e: unknown) => e);
    expect(fieldsOf(renamed).map((f) => f.field)).toEqual(['name']);
    for (const missing of [crypto.randomUUID(), 'not-a-uuid']) {
      await expect(getProcedure(database.db, missing)).rejects.toMatchObject({
        code: 'not_found:procedure',
      });
      await expect(publishProcedureDraft(database.db, ADA, missing)).rejects.toMatchObject({
        status: 404,
      });
      await expect(deleteProcedure(database.db, ADA, missing)).rejects.toMatchObject({
        status: 404,
      });
    }
    await expect(findProcedure(database.db, 'nobody')).rejects.toMatchObject({ status: 404 });
  });

  it('will not delete a procedure a customer is in the middle of', async () => {
    const created = await createProcedure(database.db, ADA, returns);
    await publishProcedureDraft(database.db, ADA, created.id);
    const customer = await createAnonymousCustomer(database.db);
    const { conversation } = await recordCustomerMessage(database.db, {
      customerId: customer.id,
      content: 'I want to return my order',
    });
    await startRun(database.db, {
      conversationId: conversation.id,
      procedure: (await loadPublished(database.db, created.name))!,
    });
    await expect(deleteProcedure(database.db, ADA, created.id)).rejects.toMatchObject({
      code: 'conflict:procedure',
      message: 'A conversation is in start_a_return right now; delete it once it has finished.',
    });
    expect((await getProcedure(database.db, created.id)).name).toBe('start_a_return');
  });
});
