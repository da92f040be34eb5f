// `npm run seed:demo -- --conversations N [--days D] [--seed S]`: adds realistic support history
// (customers, conversations, escalations, tickets, CSAT) to the configured database, for demos
// and load tests. Uses the same configuration as the app (DATABASE_URL, or PGlite in .data).
import { parseArgs } from 'node:util';
import { seedDemoHistory } from '@/db/seed/demo-history';
import { getConfig } from '@/lib/config';
import { startApp, stopApp } from '@/lib/server/app';
import { noWorker } from '@/lib/server/job-handlers';

const usage = 'usage: npm run seed:demo -- --conversations N [--days 90] [--seed 1]';

async function main() {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string', default: '500' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(usage);
  const count = Number(values.conversations);
  const days = Number(values.days);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(days) || days < 1) {
    console.error(usage);
    process.exitCode = 2;
    return;
  }
  const app = await startApp({ ...noWorker(getConfig()), logLevel: 'warn' });
  try {
    const started = Date.now();
    let reported = 0;
    await seedDemoHistory(app.database.db, {
      conversations: count,
      days,
      seed: values.seed === undefined ? undefined : Number(values.seed),
      onProgress: (done, total) => {
        if (done - reported >= 5000 || done === total) {
          reported = done;
          console.log(`  ${done.toLocaleString()} / ${total.toLocaleString()} conversations`);
        }
      },
    });
    console.log(
      `Seeded ${count.toLocaleString()} conversations in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await stopApp(app);
  }
}

main().catch((error: unknown) => {
  // A server holding the embedded database is the common case: its error says which folder.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
