import { expireStaleCalls } from '@/lib/actions/calls';
import type { Config } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { INACTIVITY_JOB, runInactivitySweep, scheduleInactivitySweep } from '@/lib/jobs/inactivity';
import {
  CALL_EXPIRY_JOB,
  MAINTENANCE_JOB,
  runMaintenance,
  SUMMARY_JOB,
  scheduleCallExpiry,
  scheduleMaintenance,
  summaryPayload,
} from '@/lib/jobs/maintenance';
import { type JobWorker, startJobWorker } from '@/lib/jobs/worker';
import { refreshSummaryIfDue } from '@/lib/memory/memory';
import { chooseSummarizer } from '@/lib/memory/summarize';
import { ASYNC_MESSAGE_JOB, runApiMessageJob } from '@/lib/turn/async-api-message';
import { deliverWebhook } from '@/lib/webhooks/deliver';
import { WEBHOOK_DELIVERY_JOB } from '@/lib/webhooks/events';

/** Every job type Tandem runs, and what runs it. */
export function createJobHandlers(app: AppContext) {
  const { db } = app.database;
  return {
    [MAINTENANCE_JOB]: { run: () => runMaintenance(db) },
    [CALL_EXPIRY_JOB]: {
      run: async () => {
        const expired = await expireStaleCalls({ db, cache: app.cache });
        await scheduleCallExpiry(db);
        return { expired };
      },
    },
    [SUMMARY_JOB]: {
      run: async (job) => {
        const conversationId = summaryPayload(job.payload);
        await refreshSummaryIfDue(
          db,
          conversationId,
          app.config.memory.summaryEvery,
          await chooseSummarizer(app, conversationId),
        );
        return null;
      },
    },
    [ASYNC_MESSAGE_JOB]: { run: (job) => runApiMessageJob(app, job) },
    [INACTIVITY_JOB]: { run: () => runInactivitySweep(app) },
    [WEBHOOK_DELIVERY_JOB]: {
      maxAttempts: app.config.webhooks.maxAttempts,
      run: (job) =>
        deliverWebhook(app.database.db, job, {
          timeoutMs: app.config.webhooks.timeoutMs,
          maxAttempts: app.config.webhooks.maxAttempts,
          retryBaseMs: app.config.jobs.retryBaseMs,
          allowPrivateNetworks: app.config.kb.allowPrivateUrls,
        }),
    },
  } satisfies Record<string, import('@/lib/jobs/worker').JobHandler>;
}

/** The process's worker over the app's database, woken by NOTIFY where the database has it. */
export async function startAppJobWorker(app: AppContext): Promise<JobWorker> {
  const { database, config } = app;
  await scheduleMaintenance(database.db);
  await scheduleInactivitySweep(database.db);
  await scheduleCallExpiry(database.db);
  return startJobWorker({
    db: database.db,
    handlers: createJobHandlers(app),
    pollMs: config.jobs.pollMs,
    concurrency: config.jobs.concurrency,
    leaseMs: config.jobs.leaseMs,
    retryBaseMs: config.jobs.retryBaseMs,
    listen: database.listen?.bind(database),
  });
}

/** For command-line tools: they open the app briefly and must not take jobs from the servers. */
export const noWorker = (config: Config): Config => ({
  ...config,
  jobs: { ...config.jobs, worker: false },
});
