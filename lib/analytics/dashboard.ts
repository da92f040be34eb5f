import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import { type OutcomeBreakdown, outcomeBreakdown, type Seconds } from './outcomes';
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

/** Every dashboard figure for conversations started in the range, from SQL aggregates. */
export async function dashboardMetrics(
  db: Database,
  range: DateRange,
  options: { onQuery?: (name: string, ms: number) => void } = {},
): Promise<DashboardMetrics> {
  const timed = async <T>(name: string, run: () => Promise<T>) => {
    const started = performance.now();
    const result = await run();
    options.onQuery?.(name, performance.now() - started);
    return result;
  };
  const rows = <T>(name: string, query: ReturnType<typeof sql>) =>
    timed(name, async () => rowsOf<T>(await db.execute(query)));
  const inRange = sql`c.created_at >= ${range.from.toISOString()}::timestamptz and c.created_at < ${range.to.toISOString()}::timestamptz`;
  const escalated = sql`(c.escalated_at is not null)`;

  const [totals] = await rows<Record<string, unknown>>(
    'totals',
    sql`select count(*)::int as conversations,
      count(*) filter (where ${escalated})::int as escalated,
      count(*) filter (where c.resolved_by = 'human')::int as human_resolved,
      count(*) filter (where c.status in ('open', 'waiting'))::int as open
    from conversations c where ${inRange}`,
  );
  const conversations = Number(totals!.conversations);

  const duration = (expr: ReturnType<typeof sql>, where: ReturnType<typeof sql>) =>
    sql`select percentile_cont(0.5) within group (order by ${expr}) as median,
      percentile_cont(0.9) within group (order by ${expr}) as p90, count(*)::int as n
      from conversations c where ${inRange} and ${where}`;
  const seconds = (a: ReturnType<typeof sql>, b: ReturnType<typeof sql>) =>
    sql`extract(epoch from (${a} - ${b}))`;
  const toDuration = ([r]: Record<string, unknown>[]): Duration => ({
    median: num(r?.median),
    p90: num(r?.p90),
    n: Number(r?.n ?? 0),
  });

  const breakdown = async (name: string, key: ReturnType<typeof sql>) =>
    (
      await rows<{ key: string; conversations: number; escalated: number }>(
        `by ${name}`,
        sql`select coalesce(${key}, 'unknown') as key, count(*)::int as conversations,
          count(*) filter (where ${escalated})::int as escalated
          from conversations c where ${inRange} group by 1 order by 2 desc, 1`,
      )
    ).map((r) => ({
      key: r.key,
      conversations: Number(r.conversations),
      escalated: Number(r.escalated),
    }));

  // Every AI-resolution figure comes from this one pass, which works out each conversation's outcome.
  const [outcomes, daily, reasons, csat, answers, aiFirst, humanFirst, humanResolution] =
    await Promise.all([
      timed('outcomes', () => outcomeBreakdown(db, { range })),
      rows<Record<string, unknown>>(
        'daily',
        // Grouped by the date and formatted once per day, not once per conversation.
        sql`select to_char((c.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
          count(*)::int as conversations, count(*) filter (where ${escalated})::int as escalated
          from conversations c where ${inRange} group by (c.created_at at time zone 'UTC')::date order by 1`,
      ),
      rows<Record<string, unknown>>(
        'escalation reasons',
        sql`select c.escalation_reason as reason, count(*)::int as count from conversations c
          where ${inRange} and ${escalated} group by 1 order by 2 desc, 1`,
      ),
      rows<Record<string, unknown>>(
        'csat',
        sql`select r.rating, count(*)::int as n from csat_ratings r join conversations c on c.id = r.conversation_id
          where ${inRange} group by 1`,
      ),
      rows<Record<string, unknown>>(
        'answer feedback',
        sql`select count(*) filter (where f.helpful)::int as helpful, count(*) filter (where not f.helpful)::int as not_helpful
          from message_feedback f join conversations c on c.id = f.conversation_id where ${inRange}`,
      ),
      rows<Record<string, unknown>>(
        'ai first response',
        duration(
          seconds(sql`c.first_ai_reply_at`, sql`c.created_at`),
          sql`c.first_ai_reply_at is not null`,
        ),
      ),
      rows<Record<string, unknown>>(
        'human first response',
        duration(
          seconds(sql`c.first_agent_reply_at`, sql`c.escalated_at`),
          sql`c.first_agent_reply_at is not null and c.escalated_at is not null and c.first_agent_reply_at >= c.escalated_at`,
        ),
      ),
      rows<Record<string, unknown>>(
        'human resolution',
        duration(
          seconds(sql`c.resolved_at`, sql`c.created_at`),
          sql`c.resolved_by = 'human' and c.resolved_at is not null`,
        ),
      ),
    ]);

  const [byCategory, byPriority, bySentiment, byLanguage] = await Promise.all([
    breakdown('category', sql`c.category`),
    breakdown('priority', sql`c.priority::text`),
    breakdown(
      'sentiment',
      sql`case when c.sentiment is null then null when c.sentiment < -0.1 then 'negative' when c.sentiment > 0.1 then 'positive' else 'neutral' end`,
    ),
    breakdown('language', sql`c.language`),
  ]);

  const [hours, agents] = await Promise.all([
    rows<Record<string, unknown>>(
      'busiest hours',
      sql`select extract(hour from c.created_at at time zone 'UTC')::int as hour, count(*)::int as conversations
        from conversations c where ${inRange} group by 1`,
    ),
    rows<Record<string, unknown>>(
      'agents',
      sql`select u.id, u.name,
          count(c.id)::int as conversations,
          count(c.id) filter (where c.resolved_by = 'human')::int as resolved,
          percentile_cont(0.5) within group (order by extract(epoch from (c.resolved_at - c.claimed_at)))
            filter (where c.resolved_by = 'human' and c.claimed_at is not null and c.resolved_at >= c.claimed_at) as median_handle,
          (select avg(r.rating)::float from csat_ratings r join conversations rc on rc.id = r.conversation_id
            where r.agent_id = u.id and rc.created_at >= ${range.from.toISOString()}::timestamptz and rc.created_at < ${range.to.toISOString()}::timestamptz) as csat,
          (select count(*)::int from csat_ratings r join conversations rc on rc.id = r.conversation_id
            where r.agent_id = u.id and rc.created_at >= ${range.from.toISOString()}::timestamptz and rc.created_at < ${range.to.toISOString()}::timestamptz) as csat_responses
        from users u
        join conversations c on c.assigned_agent_id = u.id and c.handled_by_human and ${inRange}
        group by u.id, u.name order by conversations desc, u.name`,
    ),
  ]);

  const distribution = [0, 0, 0, 0, 0];
  for (const r of csat) distribution[Number(r.rating) - 1] = Number(r.n);
  const responses = distribution.reduce((a, b) => a + b, 0);
  const helpful = Number(answers[0]?.helpful ?? 0);
  const notHelpful = Number(answers[0]?.not_helpful ?? 0);
  const aiResolvedOn = new Map(outcomes.daily.map((d) => [d.day, d.counts.ai_resolved]));
  const byHour = new Map(hours.map((h) => [Number(h.hour), Number(h.conversations)]));

  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    totals: {
      conversations,
      aiResolved: outcomes.outcomes.ai_resolved.count,
      aiResolutionRate: rate(outcomes.outcomes.ai_resolved.count, conversations),
      escalated: Number(totals!.escalated),
      escalationRate: rate(Number(totals!.escalated), conversations),
      humanResolved: Number(totals!.human_resolved),
      open: Number(totals!.open),
    },
    daily: daily.map((d) => ({
      day: String(d.day),
      conversations: Number(d.conversations),
      escalated: Number(d.escalated),
      aiResolved: aiResolvedOn.get(String(d.day)) ?? 0,
    })),
    escalationReasons: reasons.map((r) => ({
      reason: String(r.reason ?? 'unknown'),
      count: Number(r.count),
    })),
    csat: {
      average: responses
        ? distribution.reduce((sum, n, i) => sum + n * (i + 1), 0) / responses
        : null,
      responses,
      distribution,
    },
    answers: { helpful, notHelpful, helpfulRate: rate(helpful, helpful + notHelpful) },
    outcomes,
    firstResponse: { ai: toDuration(aiFirst), human: toDuration(humanFirst) },
    resolution: { ai: outcomes.aiResolutionSeconds, human: toDuration(humanResolution) },
    byCategory,
    byPriority,
    bySentiment,
    byLanguage,
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
      csat: num(a.csat),
      csatResponses: Number(a.csat_responses ?? 0),
    })),
  };
}
