import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tandem_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'tandem_http_requests_total',
      help: 'HTTP requests answered, by route template, method and status.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'tandem_http_request_duration_seconds',
      help: 'Time until the response (its headers, for streams) was ready, by route template, method and status.',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    pipelineStage: new Histogram({
      name: 'tandem_pipeline_stage_duration_seconds',
      help: 'Time spent in each stage of handling a customer message (classify, retrieve, respond).',
      labelNames: ['stage'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    escalations: new Counter({
      name: 'tandem_escalations_total',
      help: 'Conversations handed to the human team, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    messages: new Counter({
      name: 'tandem_customer_messages_total',
      help: 'Customer messages handled, by classified category.',
      labelNames: ['category'] as const,
      registers,
    }),
    classificationCache: new Counter({
      name: 'tandem_classification_cache_total',
      help: 'Lookups of the model classification cache, by result (hit or miss).',
      labelNames: ['result'] as const,
      registers,
    }),
    jobs: new Gauge({
      name: 'tandem_jobs',
      help: 'Jobs in the durable queue, by status, read when metrics are scraped.',
      labelNames: ['status'] as const,
      registers,
    }),
    webhookFailures: new Counter({
      name: 'tandem_webhook_delivery_failures_total',
      help: 'Webhook delivery attempts that failed, by event type.',
      labelNames: ['event'] as const,
      registers,
    }),
    emailsSent: new Counter({
      name: 'tandem_emails_total',
      help: 'Outbound mails, by kind and outcome (sent or failed).',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

// On globalThis: Next bundles route handlers separately and dev reloads re-evaluate modules, and
// a second registration of the same metric name would throw; one registry serves them all.
const holder = globalThis as typeof globalThis & { __tandemMetrics?: Metrics };

export function getMetrics(): Metrics {
  holder.__tandemMetrics ??= createMetrics();
  return holder.__tandemMetrics;
}

/** Times `work` into the pipeline stage histogram, whether it succeeds or throws. */
export async function timeStage<T>(stage: string, work: () => Promise<T>): Promise<T> {
  const end = getMetrics().pipelineStage.startTimer({ stage });
  try {
    return await work();
  } finally {
    end();
  }
}

/** For the webhook deliverer: one failed attempt to deliver `event`. */
export function recordWebhookFailure(event: string): void {
  getMetrics().webhookFailures.inc({ event });
}

/** The whole registry in Prometheus text format, with the job queue counted fresh by `countJobs`. */
export async function renderMetrics(
  countJobs: () => Promise<{ status: string; count: number }[] | null>,
): Promise<{ contentType: string; body: string }> {
  const metrics = getMetrics();
  const jobs = await countJobs();
  metrics.jobs.reset();
  for (const { status, count } of jobs ?? []) metrics.jobs.set({ status }, count);
  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}
