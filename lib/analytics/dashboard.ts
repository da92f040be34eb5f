import { type SQL, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import {
  breakdownOf,
  databaseNow,
  executeWithoutJit,
  judgements,
  type Outcome,
  type OutcomeBreakdown,
  type OutcomeTally,
  outcomeSql,
  type Seconds,
} from './outcomes';
import type { DateRange } from './range';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export type Duration = Seconds;

export interface DashboardMetrics {
  range: { from: string; to: string };
  totals: {
    conversations: number;
    aiResolved: number;
    aiResolutionRate: number | null;
    escalated: number;
    escalationRate: number | null;
    humanResolved: number;
    open: number;
  };
  daily: { day: string; conversations: number; escalated: number; aiResolved: number }[];
  escalationReasons: { reason: string; count: number }[];
  csat: { average: number | null; responses: number; distribution: number[] };
  answers: { helpful: number; notHelpful: number; helpfulRate: number | null };
  firstResponse: { ai: Duration; human: Duration };
  resolution: { ai: Duration; human: Duration };
  /** How the conversations ended, by the definitions in ./outcomes.ts. */
  outcomes: OutcomeBreakdown;
  byCategory: { key: string; conversations: number; escalated: number }[];
  byPriority: { key: string; conversations: number; escalated: number }[];
  bySentiment: { key: string; conversations: number; escalated: number }[];
  byLanguage: { key: string; conversations: number; escalated: number }[];
  busiestHours: { hour: number; conversations: number }[];
  agents: {
    id: string;
    name: string;
    conversations: number;
    resolved: number;
    medianHandleSeconds: number | null;
    csat: number | null;
    csatResponses: number;
  }[];
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * Every dashboard figure for conversations started in the range, from SQL aggregates, with
 * outcomes judged at `now` (the database's clock by default). The range is read in six passes,
 * run side by side: outcomes per day and hour, the breakdowns (each hashed once into small cells,
 * then summed with GROUPING SETS), the duration percentiles (which need sorts, so kept out of the
 * grouped passes), the agents, the CSAT ratings and the answer feedback.
 */
export async function dashboardMetrics(
  db: Database,
  range: DateRange,
  options: { now?: Date; onQuery?: (name: string, ms: number) => void } = {},
): Promise<DashboardMetrics> {
  const timed = async <T>(name: string, run: () => Promise<T>) => {
    const started = performance.now();
    const result = await run();
    options.onQuery?.(name, performance.now() - started);
    return result;
  };
  const rows = <T>(name: string, query: SQL) =>
    timed(name, async () => rowsOf<T>(await db.execute(query)));
  const from = sql`${range.from.toISOString()}::timestamptz`;
  const to = sql`${range.to.toISOString()}::timestamptz`;
  const inRange = sql`c.created_at >= ${from} and c.created_at < ${to}`;
  const now = options.now ?? (await databaseNow(db));

  // Each figure's groups come from one of two passes, run side by side: one judges outcomes and
  // counts per UTC hour and outcome, the other counts per combination of the descriptive columns.
  // Both then sum those cells (a few thousand at most) into every grouping at once, so each
  // conversation is hashed once, not once per figure. date_bin works on the instant, where
  // `at time zone` per conversation costs as much as the rest of the pass; the descriptive
  // columns are grouped as enums and numbers, which hash faster than text, and labelled after.
  // Rows come ordered as each figure lists them: days by date, reasons and breakdowns by count,
  // then key; `part` names the grouping.
  const timeline = sql`${judgements(
    { range },
    now,
    sql`date_bin('1 hour', c.created_at, '2000-01-01 00:00:00+00') as hour_at,
      c.escalated_at is not null as escalated, c.resolved_by`,
  )},
    cells as (
      select j.hour_at, j.outcome,
        count(*)::int as conversations, count(*) filter (where j.escalated)::int as escalated,
        count(*) filter (where j.resolved_by = 'human')::int as human_resolved,
        count(*) filter (where j.status in ('open', 'waiting'))::int as open,
        count(*) filter (where j.durability = 'durable')::int as durable,
        count(*) filter (where j.durability = 'reopened')::int as reopened,
        count(*) filter (where j.durability = 'pending')::int as pending
      from judgements j group by j.hour_at, j.outcome
    )
    select case when grouping(t.day) = 0 then 'day' else 'hour' end as part,
      to_char(t.day, 'YYYY-MM-DD') as day, t.outcome, t.hour,
      sum(t.conversations)::int as conversations, sum(t.escalated)::int as escalated,
      sum(t.human_resolved)::int as human_resolved, sum(t.open)::int as open,
      sum(t.durable)::int as durable, sum(t.reopened)::int as reopened,
      sum(t.pending)::int as pending
    from (select cells.*, (cells.hour_at at time zone 'UTC')::date as day,
        extract(hour from cells.hour_at at time zone 'UTC')::int as hour
      from cells) t
    group by grouping sets ((t.day, t.outcome), (t.hour))
    order by 1, 2`;

  const sentiment = sql`case when c.sentiment < -0.1 then 1 when c.sentiment > 0.1 then 3 when c.sentiment is not null then 2 end`;
  const breakdowns = sql`with cells as (
      select c.escalation_reason as reason, c.category, c.priority, ${sentiment} as sentiment,
        c.language, count(*)::int as conversations,
        count(*) filter (where c.escalated_at is not null)::int as escalated
      from conversations c where ${inRange} group by 1, 2, 3, 4, 5
    )
    select * from (
      select case when grouping(t.reason) = 0 then 'reason' when grouping(t.category) = 0 then 'category'
          when grouping(t.priority) = 0 then 'priority' when grouping(t.sentiment) = 0 then 'sentiment'
          else 'language' end as part,
        t.reason, coalesce(t.category, t.priority, t.sentiment, t.language) as key,
        sum(t.conversations)::int as conversations, sum(t.escalated)::int as escalated
      from (select cells.reason, cells.conversations, cells.escalated,
          coalesce(cells.category, 'unknown') as category,
          coalesce(cells.priority::text, 'unknown') as priority,
          coalesce((array['negative', 'neutral', 'positive'])[cells.sentiment], 'unknown') as sentiment,
          coalesce(cells.language, 'unknown') as language
        from cells) t
      group by grouping sets ((t.reason), (t.category), (t.priority), (t.sentiment), (t.language))
    ) g
    order by g.part, case when g.part = 'reason' then g.escalated else g.conversations end desc,
      coalesce(g.reason, g.key)`;

  // percentile_cont over an array of fractions sorts once for both; each figure keeps its own
  // filter, so this is one pass for all four.
  const percentiles = (name: string, value: SQL, where: SQL) =>
    sql`percentile_cont(array[0.5, 0.9]::float8[]) within group (order by ${value}) filter (where ${where}) as ${sql.raw(name)},
      count(*) filter (where ${where})::int as ${sql.raw(`${name}_n`)}`;
  const seconds = (a: SQL, b: SQL) => sql`extract(epoch from (${a} - ${b}))`;
  const durations = sql`select
      ${percentiles('ai_first', seconds(sql`c.first_ai_reply_at`, sql`c.created_at`), sql`c.first_ai_reply_at is not null`)},
      ${percentiles(
        'human_first',
        seconds(sql`c.first_agent_reply_at`, sql`c.escalated_at`),
        sql`c.first_agent_reply_at is not null and c.escalated_at is not null and c.first_agent_reply_at >= c.escalated_at`,
      )},
      ${percentiles('human_resolution', seconds(sql`c.resolved_at`, sql`c.created_at`), sql`c.resolved_by = 'human' and c.resolved_at is not null`)},
      ${percentiles('ai_resolution', seconds(sql`c.last_message_at`, sql`c.created_at`), sql`${outcomeSql(now)} = 'ai_resolved'`)}
    from conversations c where ${inRange}`;
  const toDuration = (r: Record<string, unknown> | undefined, name: string): Duration => {
    const values = r?.[name] as unknown[] | null | undefined;
    return {
      median: num(values?.[0]),
      p90: num(values?.[1]),
      n: Number(r?.[`${name}_n`] ?? 0),
    };
  };

  const [days, groups, [times], csat, answers, agents] = await Promise.all([
    timed('outcomes', () => executeWithoutJit(db, timeline)),
    rows<Record<string, unknown>>('breakdowns', breakdowns),
    timed('durations', () => executeWithoutJit(db, durations)),
    rows<Record<string, unknown>>(
      'csat',
      // Per rating and per agent who was rated, in one pass.
      sql`select r.rating, r.agent_id, grouping(r.rating) = 0 as by_rating, count(*)::int as n,
          avg(r.rating)::float as average
        from csat_ratings r join conversations c on c.id = r.conversation_id
        where ${inRange} group by grouping sets ((r.rating), (r.agent_id))`,
    ),
    rows<Record<string, unknown>>(
      'answer feedback',
      sql`select count(*) filter (where f.helpful)::int as helpful, count(*) filter (where not f.helpful)::int as not_helpful
          from message_feedback f join conversations c on c.id = f.conversation_id where ${inRange}`,
    ),
    rows<Record<string, unknown>>(
      'agents',
      sql`select u.id, u.name,
          count(c.id)::int as conversations,
          count(c.id) filter (where c.resolved_by = 'human')::int as resolved,
          percentile_cont(0.5) within group (order by extract(epoch from (c.resolved_at - c.claimed_at)))
            filter (where c.resolved_by = 'human' and c.claimed_at is not null and c.resolved_at >= c.claimed_at) as median_handle
        from users u
        join conversations c on c.assigned_agent_id = u.id and c.handled_by_human and ${inRange}
        group by u.id, u.name order by conversations desc, u.name`,
    ),
  ]);

  const totals = { conversations: 0, escalated: 0, humanResolved: 0, open: 0 };
  const tallies: OutcomeTally[] = [];
  const daily = new Map<string, { conversations: number; escalated: number }>();
  const reasons: DashboardMetrics['escalationReasons'] = [];
  const byKey: Record<string, DashboardMetrics['byCategory']> = {
    category: [],
    priority: [],
    sentiment: [],
    language: [],
  };
  const byHour = new Map<number, number>();
  for (const g of days) {
    const n = Number(g.conversations);
    const escalated = Number(g.escalated);
    if (g.part === 'hour') {
      byHour.set(Number(g.hour), n);
      continue;
    }
    const day = String(g.day);
    tallies.push({
      day,
      outcome: g.outcome as Outcome,
      n,
      durable: Number(g.durable),
      reopened: Number(g.reopened),
      pending: Number(g.pending),
    });
    const d = daily.get(day) ?? { conversations: 0, escalated: 0 };
    d.conversations += n;
    d.escalated += escalated;
    daily.set(day, d);
    totals.conversations += n;
    totals.escalated += escalated;
    totals.humanResolved += Number(g.human_resolved);
    totals.open += Number(g.open);
  }
  for (const g of groups) {
    const escalated = Number(g.escalated);
    if (g.part === 'reason') {
      if (escalated > 0) reasons.push({ reason: String(g.reason ?? 'unknown'), count: escalated });
    } else {
      byKey[String(g.part)]!.push({
        key: String(g.key),
        conversations: Number(g.conversations),
        escalated,
      });
    }
  }
  const outcomes = breakdownOf(now, tallies, toDuration(times, 'ai_resolution'));

  const distribution = [0, 0, 0, 0, 0];
  const csatOf = new Map<string, { average: number | null; responses: number }>();
  for (const r of csat) {
    if (r.by_rating) distribution[Number(r.rating) - 1] = Number(r.n);
    else if (r.agent_id !== null) {
      csatOf.set(String(r.agent_id), { average: num(r.average), responses: Number(r.n) });
    }
  }
  const responses = distribution.reduce((a, b) => a + b, 0);
  const helpful = Number(answers[0]?.helpful ?? 0);
  const notHelpful = Number(answers[0]?.not_helpful ?? 0);
  const aiResolvedOn = new Map(outcomes.daily.map((d) => [d.day, d.counts.ai_resolved]));

  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    totals: {
      conversations: totals.conversations,
      aiResolved: outcomes.outcomes.ai_resolved.count,
      aiResolutionRate: rate(outcomes.outcomes.ai_resolved.count, totals.conversations),
      escalated: totals.escalated,
      escalationRate: rate(totals.escalated, totals.conversations),
      humanResolved: totals.humanResolved,
      open: totals.open,
    },
    daily: [...daily].map(([day, d]) => ({
      day,
      conversations: d.conversations,
      escalated: d.escalated,
      aiResolved: aiResolvedOn.get(day) ?? 0,
    })),
    escalationReasons: reasons,
    csat: {
      average: responses
        ? distribution.reduce((sum, n, i) => sum + n * (i + 1), 0) / responses
        : null,
      responses,
      distribution,
    },
    answers: { helpful, notHelpful, helpfulRate: rate(helpful, helpful + notHelpful) },
    outcomes,
    firstResponse: { ai: toDuration(times, 'ai_first'), human: toDuration(times, 'human_first') },
    resolution: { ai: outcomes.aiResolutionSeconds, human: toDuration(times, 'human_resolution') },
    byCategory: byKey.category!,
    byPriority: byKey.priority!,
    bySentiment: byKey.sentiment!,
    byLanguage: byKey.language!,
    busiestHours: Array.from({ length: 24 }, (_, hour) => ({
      hour,
      conversations: byHour.get(hour) ?? 0,
    })),
    agents: agents.map((a) => ({
      id: String(a.id),
      name: String(a.name),
      conversations: Number(a.conversations),
      resolved: Number(a.resolved),
      medianHandleSeconds: num(a.median_handle),
      csat: csatOf.get(String(a.id))?.average ?? null,
      csatResponses: csatOf.get(String(a.id))?.responses ?? 0,
    })),
  };
}
