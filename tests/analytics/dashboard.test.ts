import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { parseDateRange } from '@/lib/analytics/range';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';
import { createTestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';
import { seedKnownWeek } from './known-week';

function dashboardSuite(name: string, open: () => Promise<TestDatabaseContext>) {
  describe(`dashboard figures (${name})`, () => {
    let app: TestDatabaseContext;
    let agents: Awaited<ReturnType<typeof seedKnownWeek>>;
    beforeAll(async () => {
      app = await open();
      agents = await seedKnownWeek(app);
    });
    afterAll(() => app?.close());

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

dashboardSuite('PGlite', () => openTestDatabase());

describe.runIf(testEnv.databaseUrl)('on PostgreSQL', () => {
  dashboardSuite('PostgreSQL', async () => {
    const database = await createTestDatabase(testEnv.databaseUrl!);
    const opened = await openTestDatabase({ DATABASE_URL: database.url });
    return {
      ...opened,
      close: async () => {
        await opened.close();
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
