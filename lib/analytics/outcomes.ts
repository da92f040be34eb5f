import { type SQL, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import {
  DURABLE_DAYS,
  OUTCOMES,
  type Outcome,
  QUIET_HOURS,
  type SettledOutcomes,
} from './outcome-definitions';
import type { DateRange } from './range';

/*
 * How a conversation ended, defined once: the dashboard, the public API and the desk's test runs
 * all count with the SQL below. A conversation has exactly one outcome at a time, judged from
 * its row: status, owner, whether a person took part, whether it was escalated, when it last had
 * a message, and the outcome facts database triggers keep as messages and feedback arrive
 * (db/migrations/0010_outcome_facts.sql: the latest reply's verdict, who had the last word, the
 * first resolution and the customer's first message after it). As Intercom counts a Fin
 * resolution, silence after a real answer is an assumed resolution, a greeting is not an answer,
 * and a customer who asked for a person was not resolved by the AI.
 *
 * Durability is judged on a conversation's first resolution: the customer coming back within
 * DURABLE_DAYS means the resolution did not hold, whatever happened next. The facts outlive a
 * transcript the retention policy deletes, so such a conversation keeps its outcome.
 */

export {
  DURABLE_DAYS,
  OUTCOME_DEFINITIONS,
  OUTCOMES,
  type Outcome,
  QUIET_HOURS,
  type SettledOutcomes,
} from './outcome-definitions';

const QUIET = sql.raw(`interval '${QUIET_HOURS} hours'`);
const DURABLE = sql.raw(`interval '${DURABLE_DAYS} days'`);

/** The moment outcomes are judged at: the database's clock unless one is given. */
const clockOf = (now?: Date): SQL => (now ? sql`${now.toISOString()}::timestamptz` : sql`now()`);

/**
 * How conversation `c` ends: `unanswered` when the customer had the last word, else the verdict
 * on the latest reply — `answered` (a person's reply, or an AI answer), `unanswered` (the AI
 * abstained or handed off) or `unhelpful` (an AI answer the customer thumbed down) — small talk
 * after it ("you're welcome") passed over; `none` when nobody has replied.
 */
const ENDING = sql`(case when c.last_speaker = 'customer' then 'unanswered'
  else coalesce(c.reply_verdict, 'none') end)`;

/** No person took part in conversation `c` and it was never handed to the team. */
const ALONE = sql`(not c.handled_by_human and c.escalated_at is null)`;

/**
 * The outcome of the conversation named `c`, judged at `now` (the database's clock by default):
 * - resolved by the inactivity policy: judged as a quiet conversation (below) — the customer
 *   went quiet, nobody confirmed anything;
 * - resolved: `ai_resolved` when no person took part, it was never escalated and it ended on
 *   the AI's answer (a confirmed resolution, which a thumbs down does not undo); otherwise
 *   `assisted`;
 * - waiting for a person or held by one: `escalated`;
 * - with the AI and a message in the last QUIET_HOURS: `in_progress`;
 * - with the AI and quiet since: the customer left. When the last reply answered and was not
 *   thumbed down, and the customer did not have the last word, it is an assumed resolution —
 *   `ai_resolved`, or `assisted` if a person took part or it had been escalated; otherwise
 *   `abandoned`.
 */
export function outcomeSql(now?: Date): SQL {
  return sql`(case
    when c.status = 'resolved' and c.resolved_for_inactivity then
      case when ${ENDING} = 'answered' then case when ${ALONE} then 'ai_resolved' else 'assisted' end
      else 'abandoned' end
    when c.status = 'resolved' then
      case when ${ALONE} and ${ENDING} in ('answered', 'unhelpful') then 'ai_resolved' else 'assisted' end
    when c.owner <> 'ai' then 'escalated'
    when c.last_message_at > ${clockOf(now)} - ${QUIET} then 'in_progress'
    when ${ENDING} = 'answered' then case when ${ALONE} then 'ai_resolved' else 'assisted' end
    else 'abandoned' end)`;
}

/** Conversation `c` was resolved by the AI alone, now: the dashboard's AI resolution. */
export const AI_RESOLVED = sql`(${outcomeSql()} = 'ai_resolved')`;

/**
 * When conversation `c` (with its `outcome` column) was first resolved: its first `resolved`
 * event or an earlier assumed resolution (kept in `first_resolved_at`), its resolution stamp,
 * or — resolved by assumption now — its last message. A conversation the inactivity policy
 * closed without an answer was abandoned, not resolved, as when it is left quiet.
 */
const FIRST_RESOLVED_AT = sql`case when c.outcome = 'abandoned' and c.resolved_for_inactivity then null
  else least(
  c.first_resolved_at,
  case when c.status = 'resolved' then c.resolved_at end,
  case when c.status <> 'resolved' and c.outcome in ('ai_resolved', 'assisted') then c.last_message_at end) end`;

/**
 * When the customer came back after conversation `c`: their first message in it after its first
 * resolution (kept in `reopened_at`) or, since a resolved conversation is not reopened, the start
 * of its first follow-up conversation (`follow.at`, joined from {@link FOLLOW_UPS}).
 */
const CAME_BACK_AT = sql`least(c.reopened_at, follow.at)`;

/**
 * The start of each conversation's first follow-up, as one relation joined once rather than a
 * subquery run per conversation, twice (PostgreSQL inlines the CTE that names it).
 */
const FOLLOW_UPS = sql`(select f.previous_conversation_id as id, min(f.created_at) as at
  from conversations f where f.previous_conversation_id is not null group by 1)`;

export type Durability = 'durable' | 'reopened' | 'pending';

/** Which conversations to judge: those started in a range, or those with these ids. */
export type OutcomeScope = { range?: DateRange; ids?: readonly string[] };

/**
 * A `with` clause ending in `judgements`: one row per conversation in scope with its
 * `created_at`, `last_message_at`, `outcome`, `first_at` (when it was first resolved) and
 * `durability` — whether that resolution held (`durable`), did not (`reopened`), is too recent
 * to judge (`pending`), or never happened (null), plus the `carry` columns (expressions over
 * conversation `c`, named). Everything is read from the conversation's row, so this is one pass
 * over the conversations in scope.
 */
export function judgements(scope: OutcomeScope, now: Date, carry?: SQL): SQL {
  const clock = clockOf(now);
  const where: SQL[] = [];
  if (scope.range) {
    where.push(
      sql`c.created_at >= ${scope.range.from.toISOString()}::timestamptz and c.created_at < ${scope.range.to.toISOString()}::timestamptz`,
    );
  }
  if (scope.ids) {
    where.push(
      scope.ids.length
        ? sql`c.id in (${sql.join(
            scope.ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql`false`,
    );
  }
  const inScope = where.length ? sql.join(where, sql` and `) : sql`true`;
  // `offset 0` keeps each step a subquery of its own: inlined, `outcome` and `first_at` would be
  // pasted into every expression that reads them and worked out again there, about ten times
  // per conversation.
  return sql`with judged as (
      select c.id, c.created_at, c.last_message_at, c.status, c.resolved_at, c.first_resolved_at,
        c.resolved_for_inactivity, ${CAME_BACK_AT} as reopened_at, ${outcomeSql(now)} as outcome
        ${carry ? sql`, ${carry}` : sql``}
      from conversations c left join ${FOLLOW_UPS} follow on follow.id = c.id where ${inScope}
      offset 0
    ), resolved as (
      select c.*, ${FIRST_RESOLVED_AT} as first_at
      from judged c offset 0
    ), judgements as (
      select r.*, case
        when r.first_at is null then null
        when r.first_at > ${clock} - ${DURABLE} then 'pending'
        when r.reopened_at > r.first_at and r.reopened_at < r.first_at + ${DURABLE} then 'reopened'
        else 'durable' end as durability
      from resolved r
    )`;
}

/**
 * Runs a query that judges outcomes with PostgreSQL's JIT compilation off: the per-conversation
 * subqueries make the planner's cost estimates large enough to compile, which took longer than
 * the query itself (measured on 100,000 conversations: 4.4 s of 7.8 s).
 */
export async function executeWithoutJit(db: Database, query: SQL) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return rowsOf<Record<string, unknown>>(await tx.execute(query));
  });
}

export interface ConversationOutcome {
  id: string;
  outcome: Outcome;
  firstResolvedAt: Date | null;
  durability: Durability | null;
}

/** Each conversation in scope with its outcome and durability, judged at `now` (the database's clock by default). */
export async function conversationOutcomes(
  db: Database,
  scope: OutcomeScope,
  options: { now?: Date } = {},
): Promise<ConversationOutcome[]> {
  const now = options.now ?? (await databaseNow(db));
  const rows = await executeWithoutJit(
    db,
    sql`${judgements(scope, now)} select id, outcome, first_at, durability from judgements`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    outcome: r.outcome as Outcome,
    firstResolvedAt: r.first_at === null ? null : asDate(r.first_at),
    durability: (r.durability ?? null) as Durability | null,
  }));
}

/** Seconds; null when nothing was measured. */
export interface Seconds {
  median: number | null;
  p90: number | null;
  n: number;
}

export interface OutcomeBreakdown {
  /** The moment the windows were measured to. */
  asOf: string;
  conversations: number;
  /** Per outcome: how many, and their share of the conversations. */
  outcomes: Record<Outcome, { count: number; rate: number | null }>;
  /** Per day the conversations started (UTC), how many ended each way. */
  daily: { day: string; counts: Record<Outcome, number> }[];
  /** From the start to the last message of the conversations resolved by the AI alone. */
  aiResolutionSeconds: Seconds;
  /**
   * Of the conversations resolved at least once: `judged` were first resolved DURABLE_DAYS or
   * more ago, and of those `durable` held and `reopened` did not; `pending` are too recent to
   * judge. `rate` is durable of judged.
   */
  durable: {
    judged: number;
    durable: number;
    reopened: number;
    pending: number;
    rate: number | null;
  };
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const none = (): Record<Outcome, number> =>
  Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * How the conversations in scope ended (all conversations when the scope is empty), judged at
 * `now` (the database's clock by default): per outcome and per day, how long the AI's
 * resolutions took, and how many first resolutions held.
 */
export async function outcomeBreakdown(
  db: Database,
  scope: OutcomeScope = {},
  options: { now?: Date } = {},
): Promise<OutcomeBreakdown> {
  // One moment for every window, read once so all of them agree.
  const now = options.now ?? (await databaseNow(db));
  const seconds = sql`extract(epoch from (j.last_message_at - j.created_at))`;
  // Per day and outcome only counts, which hash (by date, formatted once per day); the AI's
  // resolution times, whose percentiles need a sort, in one more row over its resolutions alone.
  const rows = await executeWithoutJit(
    db,
    sql`${judgements(scope, now)}
      select to_char((j.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
        j.outcome, count(*)::int as n,
        count(*) filter (where j.durability = 'durable')::int as durable,
        count(*) filter (where j.durability = 'reopened')::int as reopened,
        count(*) filter (where j.durability = 'pending')::int as pending,
        null::float8 as median, null::float8 as p90
      from judgements j group by (j.created_at at time zone 'UTC')::date, j.outcome
      union all
      select null, 'ai_resolved', count(*)::int, 0, 0, 0,
        percentile_cont(0.5) within group (order by ${seconds}),
        percentile_cont(0.9) within group (order by ${seconds})
      from judgements j where j.outcome = 'ai_resolved' order by 1, 2`,
  );
  const tallies: OutcomeTally[] = [];
  let aiResolutionSeconds: Seconds = { median: null, p90: null, n: 0 };
  for (const row of rows) {
    if (row.day === null) {
      aiResolutionSeconds = { median: num(row.median), p90: num(row.p90), n: Number(row.n) };
      continue;
    }
    tallies.push({
      day: String(row.day),
      outcome: row.outcome as Outcome,
      n: Number(row.n),
      durable: Number(row.durable),
      reopened: Number(row.reopened),
      pending: Number(row.pending),
    });
  }
  return breakdownOf(now, tallies, aiResolutionSeconds);
}

/** Per day a conversation started (UTC) and outcome: how many, and the durability of their first resolutions. */
export interface OutcomeTally {
  day: string;
  outcome: Outcome;
  n: number;
  durable: number;
  reopened: number;
  pending: number;
}

/** The breakdown from per-day tallies (in day order) and the AI's resolution times, measured by the caller. */
export function breakdownOf(
  now: Date,
  tallies: readonly OutcomeTally[],
  aiResolutionSeconds: Seconds,
): OutcomeBreakdown {
  const counts = none();
  const daily = new Map<string, Record<Outcome, number>>();
  let durable = 0;
  let reopened = 0;
  let pending = 0;
  for (const t of tallies) {
    if (!daily.has(t.day)) daily.set(t.day, none());
    daily.get(t.day)![t.outcome] = t.n;
    counts[t.outcome] += t.n;
    durable += t.durable;
    reopened += t.reopened;
    pending += t.pending;
  }
  const conversations = OUTCOMES.reduce((sum, o) => sum + counts[o], 0);
  return {
    asOf: now.toISOString(),
    conversations,
    outcomes: Object.fromEntries(
      OUTCOMES.map((o) => [o, { count: counts[o], rate: rate(counts[o], conversations) }]),
    ) as OutcomeBreakdown['outcomes'],
    daily: [...daily].map(([day, dayCounts]) => ({ day, counts: dayCounts })),
    aiResolutionSeconds,
    durable: {
      judged: durable + reopened,
      durable,
      reopened,
      pending,
      rate: rate(durable, durable + reopened),
    },
  };
}

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

export async function databaseNow(db: Database): Promise<Date> {
  const [row] = rowsOf<{ now: unknown }>(await db.execute(sql`select now() as now`));
  return asDate(row!.now);
}

/**
 * The outcome counts of every conversation in a database as if each customer had left after
 * their last message: for a desk test run's sandbox, whose scripted customers say nothing more
 * after the last turn. Nothing there is old enough for durability, so only the counts are given.
 */
export async function settledOutcomes(db: Database): Promise<SettledOutcomes> {
  const settled = new Date((await databaseNow(db)).getTime() + QUIET_HOURS * 3_600_000 + 1000);
  const breakdown = await outcomeBreakdown(db, {}, { now: settled });
  return {
    conversations: breakdown.conversations,
    outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, breakdown.outcomes[o].count])) as Record<
      Outcome,
      number
    >,
  };
}
