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
 * The dashboard's aggregate SQL (one pass per figure, through the covering index of migration
 * 0022) must give exactly what counting conversation by conversation gives: here over a seeded
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
