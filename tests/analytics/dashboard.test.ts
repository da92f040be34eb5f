import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, csatRatings, customers, messageFeedback, messages } from '@/db/schema';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { parseDateRange } from '@/lib/analytics/range';
import { type App, startApp, stopApp } from '@/lib/app';
import { parseConfig } from '@/lib/config';
import { createStaff } from '@/lib/staff/queries';
import { startTestApp } from '../harness/app';
import { createTestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const at = (iso: string, plusSeconds = 0) => new Date(new Date(iso).getTime() + plusSeconds * 1000);

/** A known week of conversations; every figure below is worked out by hand from it. */
async function seedKnownWeek(app: App) {
  const { db } = app.database;
  const dana = await createStaff(db, {
    email: 'dana@x.test',
    name: 'Dana',
    role: 'agent',
    password: 'password-1',
  });
  const sam = await createStaff(db, {
    email: 'sam@x.test',
    name: 'Sam',
    role: 'agent',
    password: 'password-1',
  });
  const [customer] = await db.insert(customers).values({ name: 'Known' }).returning();
  const base = { customerId: customer!.id };
  const rows = [
    // AI answered, went quiet: resolved by the AI.
    {
      ...base,
      createdAt: at('2026-11-01T10:00:00Z'),
      firstAiReplyAt: at('2026-11-01T10:00:02Z'),
      lastMessageAt: at('2026-11-01T10:05:00Z'),
      category: 'billing',
      priority: 'low' as const,
      sentiment: 0.5,
      language: 'en',
    },
    // AI answered and the conversation was closed as resolved.
    {
      ...base,
      createdAt: at('2026-11-02T10:00:00Z'),
      firstAiReplyAt: at('2026-11-02T10:00:04Z'),
      lastMessageAt: at('2026-11-02T10:10:00Z'),
      status: 'resolved' as const,
      resolvedAt: at('2026-11-02T10:10:00Z'),
      category: 'billing',
      priority: 'medium' as const,
      sentiment: 0,
      language: 'en',
    },
    // Escalated on request, Dana took it after a minute, replied after two, resolved ten minutes after claiming.
    {
      ...base,
      createdAt: at('2026-11-03T14:00:00Z'),
      firstAiReplyAt: at('2026-11-03T14:00:06Z'),
      escalatedAt: at('2026-11-03T14:01:00Z'),
      escalationReason: 'customer_request',
      claimedAt: at('2026-11-03T14:02:00Z'),
      firstAgentReplyAt: at('2026-11-03T14:03:00Z'),
      resolvedAt: at('2026-11-03T14:12:00Z'),
      lastMessageAt: at('2026-11-03T14:12:00Z'),
      status: 'resolved' as const,
      resolvedBy: 'human' as const,
      handledByHuman: true,
      assignedAgentId: dana.id,
      category: 'technical',
      priority: 'high' as const,
      sentiment: -0.5,
      language: 'zh',
    },
    // Escalated for frustration; Sam.
    {
      ...base,
      createdAt: at('2026-11-03T14:30:00Z'),
      firstAiReplyAt: at('2026-11-03T14:30:03Z'),
      escalatedAt: at('2026-11-03T14:30:30Z'),
      escalationReason: 'high_frustration',
      claimedAt: at('2026-11-03T14:33:50Z'),
      firstAgentReplyAt: at('2026-11-03T14:35:30Z'),
      resolvedAt: at('2026-11-03T14:53:50Z'),
      lastMessageAt: at('2026-11-03T14:53:50Z'),
      status: 'resolved' as const,
      resolvedBy: 'human' as const,
      handledByHuman: true,
      assignedAgentId: sam.id,
      category: 'technical',
      priority: 'urgent' as const,
      sentiment: -0.8,
      language: 'en',
    },
    // Escalated after unsure answers, still waiting.
    {
      ...base,
      createdAt: at('2026-11-05T09:00:00Z'),
      firstAiReplyAt: at('2026-11-05T09:00:05Z'),
      escalatedAt: at('2026-11-05T09:01:00Z'),
      escalationReason: 'low_confidence',
      lastMessageAt: at('2026-11-05T09:01:00Z'),
      status: 'waiting' as const,
      owner: 'none' as const,
      category: 'orders_shipping',
      priority: 'medium' as const,
      sentiment: -0.2,
      language: 'en',
    },
    // Still going right now: not ended, so not resolved by anyone yet.
    {
      ...base,
      createdAt: at('2026-11-06T23:00:00Z'),
      firstAiReplyAt: at('2026-11-06T23:00:01Z'),
      lastMessageAt: new Date(),
    },
    // Before the range: never counted.
    {
      ...base,
      createdAt: at('2026-10-20T10:00:00Z'),
      firstAiReplyAt: at('2026-10-20T10:00:01Z'),
      lastMessageAt: at('2026-10-20T10:01:00Z'),
      escalatedAt: at('2026-10-20T10:01:00Z'),
      escalationReason: 'urgent_priority',
      category: 'billing',
    },
  ];
  const created = await db.insert(conversations).values(rows).returning({ id: conversations.id });
  const [c1, c2, c3, c4] = created.map((c) => c.id);
  const answers = await db
    .insert(messages)
    .values(
      [c1!, c2!, c2!].map((conversationId) => ({
        conversationId,
        role: 'ai' as const,
        content: 'an answer',
      })),
    )
    .returning({ id: messages.id, conversationId: messages.conversationId });
  await db.insert(messageFeedback).values([
    { messageId: answers[0]!.id, conversationId: c1!, helpful: true },
    { messageId: answers[1]!.id, conversationId: c2!, helpful: false },
    { messageId: answers[2]!.id, conversationId: c2!, helpful: true },
  ]);
  await db.insert(csatRatings).values([
    { conversationId: c3!, customerId: customer!.id, agentId: dana.id, rating: 5 },
    { conversationId: c4!, customerId: customer!.id, agentId: sam.id, rating: 2, comment: 'slow' },
    { conversationId: c2!, customerId: customer!.id, rating: 4 },
  ]);
  return { dana, sam };
}

function dashboardSuite(
  name: string,
  open: () => Promise<{ app: App; stop: () => Promise<void> }>,
) {
  describe(`dashboard figures (${name})`, () => {
    let app: App;
    let stop: () => Promise<void>;
    let agents: Awaited<ReturnType<typeof seedKnownWeek>>;
    beforeAll(async () => {
      ({ app, stop } = await open());
      agents = await seedKnownWeek(app);
    });
    afterAll(() => stop?.());

    const week = () => parseDateRange({ from: '2026-11-01', to: '2026-11-07' });

    it('counts conversations, AI resolutions, escalations and their reasons', async () => {
      const m = await dashboardMetrics(app.database.db, week());
      expect(m.totals).toEqual({
        conversations: 6,
        aiResolved: 2,
        aiResolutionRate: 2 / 6,
        escalated: 3,
        escalationRate: 0.5,
        humanResolved: 2,
        open: 3,
      });
      expect(m.escalationReasons).toEqual([
        { reason: 'customer_request', count: 1 },
        { reason: 'high_frustration', count: 1 },
        { reason: 'low_confidence', count: 1 },
      ]);
      expect(m.daily).toEqual([
        { day: '2026-11-01', conversations: 1, escalated: 0, aiResolved: 1 },
        { day: '2026-11-02', conversations: 1, escalated: 0, aiResolved: 1 },
        { day: '2026-11-03', conversations: 2, escalated: 2, aiResolved: 0 },
        { day: '2026-11-05', conversations: 1, escalated: 1, aiResolved: 0 },
        { day: '2026-11-06', conversations: 1, escalated: 0, aiResolved: 0 },
      ]);
    });

    it('measures first response and resolution for the AI and for people separately', async () => {
      const m = await dashboardMetrics(app.database.db, week());
      // AI first replies after 2, 4, 6, 3, 5 and 1 seconds.
      expect(m.firstResponse.ai).toEqual({ median: 3.5, p90: 5.5, n: 6 });
      // People replied 120 s and 300 s after the hand-off.
      expect(m.firstResponse.human).toEqual({ median: 210, p90: 282, n: 2 });
      expect(m.resolution.ai).toEqual({ median: 450, p90: 570, n: 2 });
      expect(m.resolution.human).toEqual({ median: 1075, p90: 1359, n: 2 });
    });

    it('reports CSAT, answer thumbs, breakdowns and busiest hours', async () => {
      const m = await dashboardMetrics(app.database.db, week());
      expect(m.csat).toEqual({ average: 11 / 3, responses: 3, distribution: [0, 1, 0, 1, 1] });
      expect(m.answers).toEqual({ helpful: 2, notHelpful: 1, helpfulRate: 2 / 3 });
      expect(m.byCategory).toEqual([
        { key: 'billing', conversations: 2, escalated: 0 },
        { key: 'technical', conversations: 2, escalated: 2 },
        { key: 'orders_shipping', conversations: 1, escalated: 1 },
        { key: 'unknown', conversations: 1, escalated: 0 },
      ]);
      expect(m.byPriority).toEqual([
        { key: 'medium', conversations: 2, escalated: 1 },
        { key: 'high', conversations: 1, escalated: 1 },
        { key: 'low', conversations: 1, escalated: 0 },
        { key: 'unknown', conversations: 1, escalated: 0 },
        { key: 'urgent', conversations: 1, escalated: 1 },
      ]);
      expect(m.bySentiment).toEqual([
        { key: 'negative', conversations: 3, escalated: 3 },
        { key: 'neutral', conversations: 1, escalated: 0 },
        { key: 'positive', conversations: 1, escalated: 0 },
        { key: 'unknown', conversations: 1, escalated: 0 },
      ]);
      expect(m.byLanguage).toEqual([
        { key: 'en', conversations: 4, escalated: 2 },
        { key: 'unknown', conversations: 1, escalated: 0 },
        { key: 'zh', conversations: 1, escalated: 1 },
      ]);
      const busy = Object.fromEntries(
        m.busiestHours.filter((h) => h.conversations > 0).map((h) => [h.hour, h.conversations]),
      );
      expect(busy).toEqual({ 9: 1, 10: 2, 14: 2, 23: 1 });
    });

    it('reports each agent: conversations handled, median handle time, CSAT', async () => {
      const m = await dashboardMetrics(app.database.db, week());
      expect(m.agents).toEqual([
        {
          id: agents.dana.id,
          name: 'Dana',
          conversations: 1,
          resolved: 1,
          medianHandleSeconds: 600,
          csat: 5,
          csatResponses: 1,
        },
        {
          id: agents.sam.id,
          name: 'Sam',
          conversations: 1,
          resolved: 1,
          medianHandleSeconds: 1200,
          csat: 2,
          csatResponses: 1,
        },
      ]);
    });

    it('sees nothing in a range with no conversations', async () => {
      const m = await dashboardMetrics(
        app.database.db,
        parseDateRange({ from: '2025-01-01', to: '2025-01-31' }),
      );
      expect(m.totals.conversations).toBe(0);
      expect(m.totals.aiResolutionRate).toBeNull();
      expect(m.firstResponse.ai).toEqual({ median: null, p90: null, n: 0 });
      expect(m.csat.average).toBeNull();
    });
  });
}

dashboardSuite('PGlite', () => startTestApp());

describe.runIf(testEnv.databaseUrl)('on PostgreSQL', () => {
  dashboardSuite('PostgreSQL', async () => {
    const database = await createTestDatabase(testEnv.databaseUrl!);
    const app = await startApp(parseConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }));
    return {
      app,
      stop: async () => {
        await stopApp(app);
        await database.drop();
      },
    };
  });
});

describe('date ranges', () => {
  const now = new Date('2026-11-21T15:00:00Z');
  it('ends presets at the end of today (UTC)', () => {
    expect(parseDateRange({ days: '7' }, now)).toEqual({
      from: new Date('2026-11-15T00:00:00Z'),
      to: new Date('2026-11-22T00:00:00Z'),
      days: 7,
    });
    expect(parseDateRange({}, now).days).toBe(30);
  });
  it('refuses bad ranges with a clear error', () => {
    expect(() => parseDateRange({ days: '12' }, now)).toThrow('days must be 7, 30 or 90');
    expect(() => parseDateRange({ from: '2026-11-10', to: '2026-11-01' }, now)).toThrow(
      'must end on or after',
    );
    expect(() => parseDateRange({ from: '2026-11-10' }, now)).toThrow('Give both from and to');
  });
});
