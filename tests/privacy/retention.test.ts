import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, customers, knowledgeGaps, messages } from '@/db/schema';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { parseDateRange } from '@/lib/analytics/range';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer, findCustomer } from '@/lib/customers/queries';
import { runMaintenance } from '@/lib/jobs/maintenance';
import {
  applyRetention,
  getRetention,
  retentionSchema,
  saveRetention,
} from '@/lib/privacy/retention';
import { askTurn } from '@/tests/harness/customer-turn';
import { startTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ app, stop } = await startTestApp({ TANDEM_JOBS_WORKER: 'false' }));
});
afterAll(() => stop());

const DAY = 86_400_000;

async function conversationWith(text: string) {
  const customer = await createAnonymousCustomer(app.database.db);
  const result = await askTurn(app, {
    customer: (await findCustomer(app.database.db, customer.id))!,
    text,
  });
  const reader = result.stream.getReader();
  while (!(await reader.read()).done) {}
  return { customerId: customer.id, conversationId: result.conversationId };
}

describe('retention (controllable clock)', () => {
  it('defaults to 30 days of transcripts and keeps anonymous analytics', async () => {
    expect(await getRetention(app.database.db)).toEqual(retentionSchema.parse({}));
    expect(retentionSchema.parse({}).transcriptsDays).toBe(30);
  });

  it('removes transcripts, unanswered questions and summaries past their period, keeps the figures', async () => {
    const { db } = app.database;
    const old = await conversationWith('What is the airspeed velocity of an unladen swallow?');
    const recent = await conversationWith('How do I reset my password?');
    await db
      .update(conversations)
      .set({ summary: 'A summary' })
      .where(inArray(conversations.id, [old.conversationId, recent.conversationId]));
    const now = Date.now() + 31 * DAY;
    // The recent one was "active" a day before the clock's now.
    await db
      .update(conversations)
      .set({ lastMessageAt: new Date(now - DAY) })
      .where(eq(conversations.id, recent.conversationId));
    const before = await dashboardMetrics(db, parseDateRange({ days: '7' }));

    const report = await applyRetention(db, await getRetention(db), now);
    expect(report.conversations).toBeGreaterThanOrEqual(1);
    expect(
      await db.select().from(messages).where(eq(messages.conversationId, old.conversationId)),
    ).toEqual([]);
    expect(
      await db
        .select()
        .from(knowledgeGaps)
        .where(eq(knowledgeGaps.conversationId, old.conversationId)),
    ).toEqual([]);
    const [kept] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, old.conversationId));
    expect(kept).toMatchObject({ summary: null, topic: null, category: expect.any(String) });
    expect(
      (await db.select().from(messages).where(eq(messages.conversationId, recent.conversationId)))
        .length,
    ).toBeGreaterThan(0);
    const [recentRow] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, recent.conversationId));
    expect(recentRow).toMatchObject({
      summary: 'A summary',
      topic: 'How do I reset my password?',
    });

    // The dashboard's figures are the same without the text.
    const after = await dashboardMetrics(db, parseDateRange({ days: '7' }));
    expect(after.totals).toEqual(before.totals);
  });

  it('forgets a customer’s memory after its period, and can delete whole conversations instead', async () => {
    const { db } = app.database;
    const { customerId, conversationId } = await conversationWith(
      'My name is Mira. How long do refunds take?',
    );
    expect((await findCustomer(db, customerId))!.profile).toMatchObject({ name: 'Mira' });
    await saveRetention(db, {
      ...retentionSchema.parse({}),
      memoryDays: 10,
      keepAnonymousAnalytics: false,
    });
    const now = Date.now() + 40 * DAY;
    const report = await runMaintenance(db, now);
    expect(report.retention.memories).toBeGreaterThanOrEqual(1);
    expect(report.retention.conversationsDeleted).toBeGreaterThanOrEqual(1);
    expect((await findCustomer(db, customerId))!.profile).toEqual({});
    expect(
      await db.select().from(conversations).where(eq(conversations.id, conversationId)),
    ).toEqual([]);
    expect(await db.select().from(customers).where(eq(customers.id, customerId))).toHaveLength(1);
  });

  it('never touches conversations a person is waiting on or holds', async () => {
    const { db } = app.database;
    const { conversationId } = await conversationWith('I want to talk to a person');
    await applyRetention(db, await getRetention(db), Date.now() + 400 * DAY);
    expect(
      (await db.select().from(messages).where(eq(messages.conversationId, conversationId))).length,
    ).toBeGreaterThan(0);
  });
});
