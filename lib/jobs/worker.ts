import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Database } from '@/db/client';
import { log } from '@/lib/log';
import {
  claimJobs,
  completeJob,
  extendLease,
  failJob,
  JOBS_CHANNEL,
  type Job,
  retryDelayMs,
} from './queries';

export interface JobHandler {
  /** Does the job's work. Must be safe to run again: a worker may die after the effect, before completing. */
  run(job: Job): Promise<unknown>;
  /** Overrides the worker's backoff base for this type. */
  retryBaseMs?: number;
  /** Overrides the attempts each job of this type was queued with. */
  maxAttempts?: number;
}

/** A failure that retrying cannot fix (bad payload, deleted target): the job fails at once. */
export class PermanentJobError extends Error {
  /** `result` is kept on the failed job, for whoever waits on it (e.g. a public error body). */
  constructor(
    message: string,
    readonly result?: unknown,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** A failure to retry after a delay the handler chose (and may have shown, as webhooks do). */
export class RetryJobError extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    this.name = 'RetryJobError';
  }
}

export interface JobWorkerOptions {
  db: Database;
  handlers: Record<string, JobHandler>;
  pollMs: number;
  concurrency: number;
  leaseMs: number;
  retryBaseMs: number;
  /** Subscribes to a NOTIFY channel, so a queued job starts before the next poll. */
  listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
}

export interface JobWorker {
  readonly id: string;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  /** Stops claiming and waits for the jobs in hand to finish. */
  stop(): Promise<void>;
}

export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const types = Object.keys(options.handlers);
  const active = new Set<Promise<void>>();
  let running = true;
  let wakeUp: (() => void) | null = null;
  let pending = false;

  const wake = () => {
    pending = true;
    wakeUp?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pending || !running) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  const unlisten = await options.listen?.(JOBS_CHANNEL, wake).catch((error: unknown) => {
    log.warn({ err: error }, 'job wake-ups unavailable; polling only');
    return undefined;
  });

  async function runJob(job: Job) {
    const handler = options.handlers[job.type]!;
    // Renews the lease well before it runs out, so a long job is not taken by another worker.
    const heartbeat = setInterval(
      () => {
        void extendLease(options.db, { id: job.id, workerId: id, leaseMs: options.leaseMs }).catch(
          () => {},
        );
      },
      Math.max(1000, options.leaseMs / 3),
    );
    const started = Date.now();
    try {
      const result = await handler.run(job);
      await completeJob(options.db, { id: job.id, workerId: id, result });
      log.info({ job: job.id, type: job.type, ms: Date.now() - started }, 'job completed');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const last =
        error instanceof PermanentJobError ||
        job.attempts >= (handler.maxAttempts ?? job.maxAttempts);
      const retryInMs = last
        ? undefined
        : error instanceof RetryJobError
          ? error.retryInMs
          : retryDelayMs(job.attempts, handler.retryBaseMs ?? options.retryBaseMs);
      const result = error instanceof PermanentJobError ? error.result : undefined;
      await failJob(options.db, {
        id: job.id,
        workerId: id,
        error: message,
        retryInMs,
        result,
      }).catch((failure: unknown) =>
        log.error({ err: failure, job: job.id }, 'could not record a job failure'),
      );
      log.warn(
        { job: job.id, type: job.type, attempt: job.attempts, retryInMs, err: message },
        last ? 'job failed' : 'job attempt failed; will retry',
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function loop() {
    while (running) {
      pending = false;
      let claimed: Job[] = [];
      try {
        claimed = await claimJobs(options.db, {
          workerId: id,
          limit: options.concurrency - active.size,
          leaseMs: options.leaseMs,
          types,
        });
      } catch (error) {
        if (running) log.error({ err: error }, 'could not claim jobs');
      }
      for (const job of claimed) {
        if (job.attempts > (options.handlers[job.type]?.maxAttempts ?? job.maxAttempts)) {
          // Its workers kept dying mid-run: stop feeding it to new ones.
          await failJob(options.db, {
            id: job.id,
            workerId: id,
            error: `${job.lastError ?? 'Its worker stopped while running it'} (after ${job.attempts - 1} attempts)`,
          }).catch(() => {});
          continue;
        }
        const task = runJob(job).finally(() => {
          active.delete(task);
          wake();
        });
        active.add(task);
      }
      if (claimed.length === 0 || active.size >= options.concurrency) await sleep(options.pollMs);
    }
  }

  const looping = loop();
  log.info({ worker: id, types }, 'job worker started');
  return {
    id,
    wake,
    async stop() {
      running = false;
      wakeUp?.();
      await looping;
      await Promise.allSettled([...active]);
      await unlisten?.().catch(() => {});
    },
  };
}
