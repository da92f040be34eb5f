import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCalls, auditLog, jobs } from '@/db/schema';
import {
  APPROVAL_EXPIRES_MS,
  CONFIRMATION_EXPIRES_MS,
  getCall,
  requestCall,
} from '@/lib/actions/calls';
import { createAction } from '@/lib/actions/queries';
import type { AppContext } from '@/lib/context';
import { recordCustomerMessage } from '@/lib/conversations/queries';
import { upsertCustomerByExternalId } from '@/lib/customers/queries';
import { CALL_EXPIRY_JOB, runMaintenance, scheduleCallExpiry } from '@/lib/jobs/maintenance';
import { createJobHandlers } from '@/lib/server/job-handlers';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

/*
 * Calls waiting for someone lapse (30 minutes for a customer's confirmation, 24 hours for an
 * agent's approval); a job every 5 minutes marks them `expired`, so the console's queue and the
 * transcript show them ended, not only the next touch.
 */

let database: TestDatabaseContext;
let who: { customerId: string; conversationId: string };

beforeAll(async () => {
  database = await openTestDatabase();
  const customer = await upsertCustomerByExternalId(database.db, { externalId: 'u-exp' });
  const { conversation } = await recordCustomerMessage(database.db, {
    customerId: customer.id,
    content: 'Cancel my order',
  });
  who = { customerId: customer.id, conversationId: conversation.id };
});
afterAll(() => database?.close());

async function waitingCall(
  name: string,
  policy: { effect: 'read' | 'write'; needsApproval: boolean },
) {
  const action = await createAction(database.db, database.secret, {
    kind: 'http',
    name,
    label: name,
    description: 'Does something to an order.',
    enabled: true,
    inputs: [],
    ...policy,
    http: { method: 'POST', url: 'https://shop.example.com/x', responseFields: [] },
  });
  return requestCall(
    {
      db: database.db,
      cache: database.cache,
      secret: database.secret,
      network: { allowPrivateNetworks: false, allowedHosts: [] },
    },
    { action, ...who, input: {} },
  );
}

const backdate = (id: string, ms: number) =>
  database.db
    .update(actionCalls)
    .set({ expiresAt: new Date(Date.now() - ms) })
    .where(eq(actionCalls.id, id));

describe('the expiry of waiting action calls', () => {
  it('is queued once per 5-minute slot, however many instances ask', async () => {
    const now = Date.parse('2031-03-01T10:02:00Z');
    const a = await scheduleCallExpiry(database.db, now);
    const b = await scheduleCallExpiry(database.db, now + 60_000);
    expect(a).toBe(b);
    const [job] = await database.db.select().from(jobs).where(eq(jobs.id, a));
    expect(job).toMatchObject({ type: CALL_EXPIRY_JOB, runAt: new Date('2031-03-01T10:05:00Z') });
  });

  it('ends lapsed confirmations and approvals, leaves the rest waiting, and queues the next sweep', async () => {
    const confirm = await waitingCall('cancel_order', { effect: 'write', needsApproval: false });
    const approve = await waitingCall('refund_order', { effect: 'read', needsApproval: true });
    const fresh = await waitingCall('hold_order', { effect: 'write', needsApproval: false });
    expect([confirm.status, approve.status, fresh.status]).toEqual([
      'awaiting_confirmation',
      'awaiting_approval',
      'awaiting_confirmation',
    ]);
    // The windows the calls were given: 30 minutes to confirm, 24 hours to approve.
    const span = (call: typeof confirm) => call.expiresAt!.getTime() - call.createdAt.getTime();
    expect(Math.abs(span(confirm) - CONFIRMATION_EXPIRES_MS)).toBeLessThan(5_000);
    expect(Math.abs(span(approve) - APPROVAL_EXPIRES_MS)).toBeLessThan(5_000);
    await backdate(confirm.id, 1_000);
    await backdate(approve.id, 1_000);

    const handlers = createJobHandlers(database as unknown as AppContext);
    const outcome = await handlers[CALL_EXPIRY_JOB].run();
    expect(outcome).toEqual({ expired: 2 });

    expect((await getCall(database.db, confirm.id)).status).toBe('expired');
    expect((await getCall(database.db, approve.id)).status).toBe('expired');
    expect((await getCall(database.db, fresh.id)).status).toBe('awaiting_confirmation');
    const audited = await database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.action, 'action_call.expired'));
    expect(audited).toHaveLength(2);
    // Nothing left to do on a second sweep.
    expect(await handlers[CALL_EXPIRY_JOB].run()).toEqual({ expired: 0 });
    const queued = await database.db.select().from(jobs).where(eq(jobs.type, CALL_EXPIRY_JOB));
    expect(queued.some((j) => j.runAt.getTime() > Date.now())).toBe(true);
  });

  it('is queued again by the hourly maintenance, should the chain ever break', async () => {
    const now = Date.parse('2031-04-01T12:00:00Z');
    await runMaintenance(database.db, now);
    const next = await database.db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, `${CALL_EXPIRY_JOB}:2031-04-01T12:05:00.000Z`));
    expect(next).toHaveLength(1);
  });
});
