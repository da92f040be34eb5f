import { sql } from 'drizzle-orm';
import pg from 'pg';
import { rowsOf } from '@/db/client';
import { seedDemoHistory } from '@/db/seed/demo-history';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { parseDateRange } from '@/lib/analytics/range';
import { parseConfig } from '@/lib/config';
import { startApp, stopApp } from '@/lib/server/app';

export const DASHBOARD_DATABASE = 'tandem_bench_dashboard';
export const TARGET_CONVERSATIONS = 100_000;
const RUNS = 5;
export const BUDGET_MS = 300;

export interface DashboardBench {
  conversations: number;
  messages: number;
  runs: number;
  /** Per query: median and slowest of the runs, in ms. */
  queries: { name: string; medianMs: number; maxMs: number }[];
  totalMedianMs: number;
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

  const app = await startApp(parseConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'error' }));
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
      await db.execute(sql`analyze`);
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
    };
  } finally {
    await stopApp(app);
  }
}

export function formatDashboardBench(result: DashboardBench): string {
  const lines = [
    `Dashboard queries, 90-day range (${result.conversations.toLocaleString()} conversations, ${result.messages.toLocaleString()} messages, PostgreSQL; median and slowest of ${result.runs} runs; budget ${BUDGET_MS} ms each)`,
    ...result.queries.map(
      (q) =>
        `  ${q.name.padEnd(22)} ${q.medianMs.toFixed(1).padStart(8)} ms  max ${q.maxMs.toFixed(1).padStart(8)} ms  ${q.maxMs <= BUDGET_MS ? 'ok' : 'OVER BUDGET'}`,
    ),
    `  ${'whole dashboard'.padEnd(22)} ${result.totalMedianMs.toFixed(1).padStart(8)} ms`,
  ];
  return lines.join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
