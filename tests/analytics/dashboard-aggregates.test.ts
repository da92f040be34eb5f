import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/db/client';
import { seedDemoHistory } from '@/db/seed/demo-history';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import {
  conversationOutcomes,
  OUTCOMES,
  type Outcome,
  outcomeBreakdown,
} from '@/lib/analytics/outcomes';
import { parseDateRange } from '@/lib/analytics/range';
import { createStaff } from '@/lib/staff/queries';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';
import { createTestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

/*
 * The dashboard's aggregate SQL (a few passes, each grouping several figures at once) must give exactly what counting conversation by conversation gives: here over a seeded
 * history with follow-up conversations, checked against each conversation's own judgement and
 * against plain per-row SQL.
 */

interface Row {
  id: string;
  created_at: unknown;
  last_message_at: unknown;
  first_ai_reply_at: unknown;
  escalated_at: unknown;
  resolved_by: string | null;
  status: string;
  category: string | null;
  language: string | null;
  escalation_reason: string | null;
}

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));
const day = (value: unknown) => asDate(value).toISOString().slice(0, 10);
const seconds = (a: unknown, b: unknown) => (asDate(a).getTime() - asDate(b).getTime()) / 1000;

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function aggregatesSuite(name: string, open: () => Promise<TestDatabaseContext>) {
  describe(`dashboard aggregates equal per-conversation counts (${name})`, () => {
    let app: TestDatabaseContext;
    let rows: Row[];
    const range = () => parseDateRange({ days: '90' });

    beforeAll(async () => {
      app = await open();
      await createStaff(app.db, {
        email: 'agent@x.test',
        name: 'Agent',
        role: 'agent',
        password: 'password-1',
      });
      await seedDemoHistory(app.db, { conversations: 240, days: 60, seed: 7 });
      // Some conversations get a follow-up: a later conversation of the same customer.
      await app.db.execute(sql`update conversations c set previous_conversation_id = p.id
        from conversations p
        where c.customer_id = p.customer_id and c.id <> p.id and p.created_at < c.created_at
          and c.id in (select id from conversations order by created_at desc limit 40)`);
      await app.db.execute(sql`update conversations c set previous_conversation_id = p.id
        from (select id, created_at from conversations order by created_at limit 20) p
        where c.previous_conversation_id is null and c.created_at > p.created_at + interval '1 day'
          and c.id in (select id from conversations order by created_at desc offset 40 limit 20)`);
      rows = rowsOf<Row>(
        await app.db.execute(sql`select id, created_at, last_message_at, first_ai_reply_at,
          escalated_at, resolved_by, status, category, language, escalation_reason
          from conversations`),
      );
    }, 120_000);
    afterAll(() => app?.close());

    it('has follow-ups to judge', async () => {
      const [row] = rowsOf<{ n: number }>(
        await app.db.execute(
          sql`select count(*)::int as n from conversations where previous_conversation_id is not null`,
        ),
      );
      expect(Number(row!.n)).toBeGreaterThan(0);
      expect(rows.length).toBe(240);
    });

    it('counts outcomes per day and in all, and their durability, as judged one by one', async () => {
      const now = new Date();
      const breakdown = await outcomeBreakdown(app.db, { range: range() }, { now });
      const judged = await conversationOutcomes(app.db, { range: range() }, { now });
      const createdOn = new Map(rows.map((r) => [r.id, day(r.created_at)]));

      const overall = countBy(judged, (j) => j.outcome);
      for (const outcome of OUTCOMES) {
        expect(breakdown.outcomes[outcome].count).toBe(overall.get(outcome) ?? 0);
      }
      const perDay = countBy(judged, (j) => `${createdOn.get(j.id)} ${j.outcome}`);
      const fromBreakdown = new Map<string, number>();
      for (const { day: d, counts } of breakdown.daily) {
        for (const outcome of OUTCOMES) {
          if (counts[outcome] > 0) fromBreakdown.set(`${d} ${outcome}`, counts[outcome]);
        }
      }
      expect(fromBreakdown).toEqual(perDay);

      const durability = countBy(
        judged.filter((j) => j.durability),
        (j) => j.durability!,
      );
      expect(breakdown.durable.durable).toBe(durability.get('durable') ?? 0);
      expect(breakdown.durable.reopened).toBe(durability.get('reopened') ?? 0);
      expect(breakdown.durable.pending).toBe(durability.get('pending') ?? 0);

      const aiResolved = new Set(
        judged.filter((j) => j.outcome === ('ai_resolved' satisfies Outcome)).map((j) => j.id),
      );
      const times = rows
        .filter((r) => aiResolved.has(r.id))
        .map((r) => seconds(r.last_message_at, r.created_at));
      expect(breakdown.aiResolutionSeconds.n).toBe(times.length);
      expect(breakdown.aiResolutionSeconds.median).toBeCloseTo(percentileCont(times, 0.5)!, 6);
      expect(breakdown.aiResolutionSeconds.p90).toBeCloseTo(percentileCont(times, 0.9)!, 6);
    });

    it('gives totals, breakdowns and first responses as counted row by row', async () => {
      const m = await dashboardMetrics(app.db, range());
      expect(m.totals.conversations).toBe(rows.length);
      expect(m.totals.escalated).toBe(rows.filter((r) => r.escalated_at !== null).length);
      expect(m.totals.humanResolved).toBe(rows.filter((r) => r.resolved_by === 'human').length);
      expect(new Map(m.byCategory.map((b) => [b.key, b.conversations]))).toEqual(
        countBy(rows, (r) => r.category ?? 'unknown'),
      );
      expect(new Map(m.byLanguage.map((b) => [b.key, b.conversations]))).toEqual(
        countBy(rows, (r) => r.language ?? 'unknown'),
      );
      expect(new Map(m.daily.map((d) => [d.day, d.conversations]))).toEqual(
        countBy(rows, (r) => day(r.created_at)),
      );
      expect(new Map(m.escalationReasons.map((r) => [r.reason, r.count]))).toEqual(
        countBy(
          rows.filter((r) => r.escalated_at !== null),
          (r) => r.escalation_reason ?? 'unknown',
        ),
      );
      const firstAi = rows
        .filter((r) => r.first_ai_reply_at !== null)
        .map((r) => seconds(r.first_ai_reply_at, r.created_at));
      expect(m.firstResponse.ai.n).toBe(firstAi.length);
      expect(m.firstResponse.ai.median).toBeCloseTo(percentileCont(firstAi, 0.5)!, 6);
      expect(m.totals.aiResolved).toBe(m.outcomes.outcomes.ai_resolved.count);
    });

    it('gives the same outcomes as the outcome breakdown, and CSAT, feedback, durations and agents as counted row by row', async () => {
      const now = new Date();
      const m = await dashboardMetrics(app.db, range(), { now });
      expect(m.outcomes).toEqual(await outcomeBreakdown(app.db, { range: range() }, { now }));

      const detail = rowsOf<{
        id: string;
        created_at: unknown;
        escalated_at: unknown;
        first_agent_reply_at: unknown;
        resolved_at: unknown;
        resolved_by: string | null;
        assigned_agent_id: string | null;
        handled_by_human: boolean;
        hour: number;
        sentiment: number | null;
        priority: string | null;
      }>(
        await app.db.execute(sql`select id, created_at, escalated_at, first_agent_reply_at,
          resolved_at, resolved_by, assigned_agent_id, handled_by_human, sentiment, priority::text,
          extract(hour from created_at at time zone 'UTC')::int as hour from conversations`),
      );
      const ratings = rowsOf<{ conversation_id: string; agent_id: string | null; rating: number }>(
        await app.db.execute(sql`select conversation_id, agent_id, rating from csat_ratings`),
      );
      const feedback = rowsOf<{ helpful: boolean }>(
        await app.db.execute(sql`select helpful from message_feedback`),
      );
      expect(ratings.length).toBeGreaterThan(0);
      expect(feedback.length).toBeGreaterThan(0);

      expect(m.csat.distribution).toEqual(
        [1, 2, 3, 4, 5].map((r) => ratings.filter((x) => Number(x.rating) === r).length),
      );
      expect(m.answers.helpful).toBe(feedback.filter((f) => f.helpful).length);
      expect(m.answers.notHelpful).toBe(feedback.filter((f) => !f.helpful).length);

      const humanFirst = detail
        .filter(
          (r) =>
            r.first_agent_reply_at !== null &&
            r.escalated_at !== null &&
            asDate(r.first_agent_reply_at) >= asDate(r.escalated_at),
        )
        .map((r) => seconds(r.first_agent_reply_at, r.escalated_at));
      expect(m.firstResponse.human.n).toBe(humanFirst.length);
      expect(m.firstResponse.human.p90).toBeCloseTo(percentileCont(humanFirst, 0.9)!, 6);
      const humanResolution = detail
        .filter((r) => r.resolved_by === 'human' && r.resolved_at !== null)
        .map((r) => seconds(r.resolved_at, r.created_at));
      expect(m.resolution.human.n).toBe(humanResolution.length);
      expect(m.resolution.human.median).toBeCloseTo(percentileCont(humanResolution, 0.5)!, 6);

      const hours = countBy(detail, (r) => String(r.hour));
      expect(m.busiestHours.map((h) => h.conversations)).toEqual(
        Array.from({ length: 24 }, (_, h) => hours.get(String(h)) ?? 0),
      );
      const mood = (v: number | null) =>
        v === null ? 'unknown' : v < -0.1 ? 'negative' : v > 0.1 ? 'positive' : 'neutral';
      expect(new Map(m.bySentiment.map((b) => [b.key, b.conversations]))).toEqual(
        countBy(detail, (r) => mood(r.sentiment === null ? null : Number(r.sentiment))),
      );
      expect(new Map(m.byPriority.map((b) => [b.key, b.conversations]))).toEqual(
        countBy(detail, (r) => r.priority ?? 'unknown'),
      );
      for (const list of [m.byCategory, m.byPriority, m.bySentiment, m.byLanguage]) {
        const counts = list.map((b) => b.conversations);
        expect(counts).toEqual([...counts].sort((a, b) => b - a));
      }
      const reasonCounts = m.escalationReasons.map((r) => r.count);
      expect(reasonCounts).toEqual([...reasonCounts].sort((a, b) => b - a));

      expect(m.agents.length).toBeGreaterThan(0);
      for (const agent of m.agents) {
        const handled = detail.filter(
          (r) => r.assigned_agent_id === agent.id && r.handled_by_human,
        );
        expect(agent.conversations).toBe(handled.length);
        expect(agent.resolved).toBe(handled.filter((r) => r.resolved_by === 'human').length);
        const rated = ratings.filter((r) => r.agent_id === agent.id).map((r) => Number(r.rating));
        expect(agent.csatResponses).toBe(rated.length);
        if (rated.length) {
          expect(agent.csat).toBeCloseTo(rated.reduce((a, b) => a + b, 0) / rated.length, 9);
        } else expect(agent.csat).toBeNull();
      }
    });
  });
}

aggregatesSuite('PGlite', () => openTestDatabase());

describe.runIf(testEnv.databaseUrl)('on PostgreSQL', () => {
  aggregatesSuite('PostgreSQL', async () => {
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
