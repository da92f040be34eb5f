import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import type { DashboardMetrics } from './dashboard';
import type { DateRange } from './range';

const PAGE = 2000;

const CONVERSATION_COLUMNS = [
  'id',
  'created_at',
  'customer_id',
  'customer_name',
  'status',
  'owner',
  'category',
  'priority',
  'sentiment',
  'language',
  'escalated_at',
  'escalation_reason',
  'handled_by_human',
  'agent',
  'first_ai_reply_seconds',
  'first_agent_reply_seconds',
  'resolved_at',
  'resolved_by',
  'csat',
  'csat_comment',
] as const;

/** Conversations started in the range as CSV, read in pages so a long range never sits in memory. */
export function conversationsCsv(db: Database, range: DateRange): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { createdAt: string; id: string } | null = null;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(
          encoder.encode(stringify([CONVERSATION_COLUMNS as unknown as string[]])),
        );
      }
      const cursor = after
        ? sql`and (c.created_at, c.id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`
        : sql``;
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`select c.id, c.created_at, c.customer_id, cu.name as customer_name, c.status, c.owner,
            c.category, c.priority, c.sentiment, c.language, c.escalated_at, c.escalation_reason,
            c.handled_by_human, u.name as agent,
            extract(epoch from (c.first_ai_reply_at - c.created_at))::float8 as first_ai_reply_seconds,
            extract(epoch from (c.first_agent_reply_at - c.escalated_at))::float8 as first_agent_reply_seconds,
            c.resolved_at, c.resolved_by, r.rating as csat, r.comment as csat_comment
          from conversations c
          join customers cu on cu.id = c.customer_id
          left join users u on u.id = c.assigned_agent_id
          left join csat_ratings r on r.conversation_id = c.id
          where c.created_at >= ${range.from.toISOString()}::timestamptz and c.created_at < ${range.to.toISOString()}::timestamptz
          ${cursor}
          order by c.created_at, c.id limit ${PAGE}`),
      );
      if (rows.length === 0) {
        controller.close();
        return;
      }
      const last = rows.at(-1)!;
      after = { createdAt: iso(last.created_at), id: String(last.id) };
      controller.enqueue(
        encoder.encode(stringify(rows.map((r) => CONVERSATION_COLUMNS.map((c) => cell(r[c]))))),
      );
    },
  });
}

/** Every dashboard figure as `section,key,value` rows. */
export function metricsCsv(m: DashboardMetrics): string {
  const rows: (string | number | null)[][] = [['section', 'key', 'value']];
  rows.push(['range', 'from', m.range.from], ['range', 'to', m.range.to]);
  for (const [k, v] of Object.entries(m.totals)) rows.push(['totals', k, v]);
  for (const d of m.daily) {
    rows.push(['daily_conversations', d.day, d.conversations]);
    rows.push(['daily_escalated', d.day, d.escalated]);
    rows.push(['daily_ai_resolved', d.day, d.aiResolved]);
  }
  for (const r of m.escalationReasons) rows.push(['escalation_reasons', r.reason, r.count]);
  rows.push(['csat', 'average', m.csat.average], ['csat', 'responses', m.csat.responses]);
  for (const [i, n] of m.csat.distribution.entries()) rows.push(['csat_ratings', String(i + 1), n]);
  for (const [k, v] of Object.entries(m.answers)) rows.push(['answers', k, v]);
  for (const [who, d] of Object.entries(m.firstResponse)) {
    rows.push(
      [`first_response_${who}`, 'median_seconds', d.median],
      [`first_response_${who}`, 'p90_seconds', d.p90],
    );
  }
  for (const [who, d] of Object.entries(m.resolution)) {
    rows.push(
      [`resolution_${who}`, 'median_seconds', d.median],
      [`resolution_${who}`, 'p90_seconds', d.p90],
    );
  }
  for (const [section, list] of [
    ['category', m.byCategory],
    ['priority', m.byPriority],
    ['sentiment', m.bySentiment],
    ['language', m.byLanguage],
  ] as const) {
    for (const b of list) {
      rows.push(
        [`${section}_conversations`, b.key, b.conversations],
        [`${section}_escalated`, b.key, b.escalated],
      );
    }
  }
  for (const h of m.busiestHours) rows.push(['hour_utc', String(h.hour), h.conversations]);
  for (const a of m.agents) {
    rows.push(
      [`agent:${a.name}`, 'conversations', a.conversations],
      [`agent:${a.name}`, 'resolved', a.resolved],
      [`agent:${a.name}`, 'median_handle_seconds', a.medianHandleSeconds],
      [`agent:${a.name}`, 'csat', a.csat],
    );
  }
  return stringify(rows.map((r) => r.map(cell)));
}

const iso = (v: unknown) =>
  v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  // Spreadsheets run cells starting with these as formulas; a leading quote keeps them text.
  return /^[=+\-@\t\r]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
}
