import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { rowsOf } from '@/db/client';
import { seedDemoHistory } from '@/db/seed/demo-history';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { parseDateRange } from '@/lib/analytics/range';
import { parseConfig } from '@/lib/config';
import { startApp, stopApp } from '@/lib/server/app';
import { noWorker } from '@/lib/server/job-handlers';

export const DASHBOARD_DATABASE = 'tandem_bench_dashboard';
export const TARGET_CONVERSATIONS = 100_000;
const RUNS = 5;
/** Issue 18's budgets: every query, and the whole page (its queries run side by side). */
export const BUDGET_MS = 100;
export const PAGE_BUDGET_MS = 250;

export interface DashboardBench {
  conversations: number;
  messages: number;
  runs: number;
  /** Per query: median and slowest of the runs, in ms. */
  queries: { name: string; medianMs: number; maxMs: number }[];
  totalMedianMs: number;
  /** The load average (1, 5, 15 min) as the timing ended: other work on the machine skews it. */
  loadAverage: number[];
}

/**
 * Seeds (once, kept between runs) a PostgreSQL database with 100,000 conversations and about a
 * million messages, then times each dashboard query for a 90-day range.
 */
export async function benchDashboard(
  serverUrl: string,
  progress: (message: string) => void,
): Promise<DashboardBench> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [
    DASHBOARD_DATABASE,
  ]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DASHBOARD_DATABASE}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${DASHBOARD_DATABASE}`;

  // No job worker: its retention sweep would delete the transcripts older than the default 30 days.
  const app = await startApp(
    noWorker(parseConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'error' })),
  );
  try {
    const { db } = app.database;
    const count = async (table: string) =>
      Number(
        rowsOf<{ n: number }>(
          await db.execute(sql.raw(`select count(*)::int as n from ${table}`)),
        )[0]!.n,
      );
    const have = await count('conversations');
    if (have < TARGET_CONVERSATIONS) {
      const missing = TARGET_CONVERSATIONS - have;
      progress(
        `dashboard: seeding ${missing.toLocaleString()} conversations into ${DASHBOARD_DATABASE} (kept for later runs)`,
      );
      await seedDemoHistory(db, {
        conversations: missing,
        days: 90,
        seed: have + 1,
        onProgress: (done, total) => {
          if (done % 10_000 === 0 || done === total)
            progress(`dashboard: ${done.toLocaleString()} / ${total.toLocaleString()}`);
        },
      });
      // Seeding writes each conversation once per message (its outcome facts), all at once; a
      // desk that grew over months has had autovacuum reuse that space, so compact it as such.
      await db.execute(sql`vacuum (full, analyze) conversations`);
      // Plain vacuum as autovacuum would run it: it also marks the pages all-visible.
      await db.execute(sql`vacuum (analyze)`);
    }
    const conversations = await count('conversations');
    const messages = await count('messages');
    progress(
      `dashboard: ${conversations.toLocaleString()} conversations, ${messages.toLocaleString()} messages; timing a 90-day range`,
    );

    const range = parseDateRange({ days: '90' });
    const timings = new Map<string, number[]>();
    const totals: number[] = [];
    // One untimed run warms caches, as a dashboard in use would have them.
    await dashboardMetrics(db, range);
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      await dashboardMetrics(db, range, {
        onQuery: (name, ms) => timings.set(name, [...(timings.get(name) ?? []), ms]),
      });
      totals.push(performance.now() - started);
    }
    return {
      conversations,
      messages,
      runs: RUNS,
      queries: [...timings].map(([name, values]) => ({
        name,
        medianMs: median(values),
        maxMs: Math.max(...values),
      })),
      totalMedianMs: median(totals),
      loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    };
  } finally {
    await stopApp(app);
  }
}

export function formatDashboardBench(result: DashboardBench): string {
  const lines = [
    `Dashboard queries, 90-day range (${result.conversations.toLocaleString()} conversations, ${result.messages.toLocaleString()} messages, PostgreSQL; median and slowest of ${result.runs} runs; budget ${BUDGET_MS} ms each; load average ${result.loadAverage.join(' ')})`,
    ...result.queries.map(
      (q) =>
        `  ${q.name.padEnd(22)} ${q.medianMs.toFixed(1).padStart(8)} ms  max ${q.maxMs.toFixed(1).padStart(8)} ms  ${q.maxMs <= BUDGET_MS ? 'ok' : 'OVER BUDGET'}`,
    ),
    `  ${'whole dashboard'.padEnd(22)} ${result.totalMedianMs.toFixed(1).padStart(8)} ms  budget ${PAGE_BUDGET_MS} ms  ${result.totalMedianMs <= PAGE_BUDGET_MS ? 'ok' : 'OVER BUDGET'}`,
  ];
  return lines.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
