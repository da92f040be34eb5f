import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import { enqueueJob } from '@/lib/jobs/queries';
import { resolveTarget } from '@/lib/kb/fetch-url';
import { parseWebhookUrl } from './deliver';
import { forgetWebhookSubscribers, WEBHOOK_DELIVERY_JOB, type WebhookEventType } from './events';
import { generateWebhookSecret } from './sign';

export type WebhookEndpoint = Omit<typeof webhookEndpoints.$inferSelect, 'secret'>;

const publicColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  enabled: webhookEndpoints.enabled,
  createdBy: webhookEndpoints.createdBy,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
};

/**
 * Refuses addresses Tandem must not call: not http(s), or (unless private networks are allowed)
 * resolving to a private or local address. The error names the `url` field.
 */
export async function checkWebhookUrl(raw: string, allowPrivateNetworks: boolean): Promise<string> {
  try {
    const url = parseWebhookUrl(raw);
    await resolveTarget(url, { allowPrivateNetworks });
    return url.href;
  } catch (error) {
    if (!(error instanceof TandemError)) throw error;
    const message =
      error.code === 'forbidden:url'
        ? `${error.message.replace(/; only public web addresses can be imported\.$/, '')}; webhooks go only to public addresses unless TANDEM_ALLOW_PRIVATE_URLS is set.`
        : error.message;
    throw new TandemError('bad_request:webhook', `url: ${message}`, {
      fields: [{ field: 'url', message }],
    });
  }
}

export async function listWebhookEndpoints(db: Database): Promise<WebhookEndpoint[]> {
  return db.select(publicColumns).from(webhookEndpoints).orderBy(desc(webhookEndpoints.createdAt));
}

/** Registers an endpoint; the returned secret is the only time it is shown. */
export async function createWebhookEndpoint(
  db: Database,
  input: {
    url: string;
    events: WebhookEventType[];
    description?: string;
    createdBy?: string;
    allowPrivateNetworks: boolean;
  },
): Promise<WebhookEndpoint & { secret: string }> {
  const url = await checkWebhookUrl(input.url, input.allowPrivateNetworks);
  const [created] = await db
    .insert(webhookEndpoints)
    .values({
      url,
      events: [...new Set(input.events)],
      description: input.description || null,
      secret: generateWebhookSecret(),
      createdBy: input.createdBy,
    })
    .returning();
  forgetWebhookSubscribers(db);
  return created!;
}

export async function updateWebhookEndpoint(
  db: Database,
  id: string,
  input: {
    url?: string;
    events?: WebhookEventType[];
    description?: string | null;
    enabled?: boolean;
    allowPrivateNetworks: boolean;
  },
): Promise<WebhookEndpoint> {
  const url =
    input.url === undefined
      ? undefined
      : await checkWebhookUrl(input.url, input.allowPrivateNetworks);
  const [updated] = await db
    .update(webhookEndpoints)
    .set({
      url,
      events: input.events ? [...new Set(input.events)] : undefined,
      description: input.description,
      enabled: input.enabled,
    })
    .where(eq(webhookEndpoints.id, id))
    .returning(publicColumns);
  if (!updated) throw notFound();
  forgetWebhookSubscribers(db);
  return updated;
}

export async function deleteWebhookEndpoint(db: Database, id: string): Promise<void> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .returning({ id: webhookEndpoints.id });
  if (deleted.length === 0) throw notFound();
  forgetWebhookSubscribers(db);
}

/** The endpoint's newest deliveries, each with its attempts (status, duration, error, next retry). */
export async function listWebhookDeliveries(db: Database, endpointId: string, limit = 50) {
  const [endpoint] = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId));
  if (!endpoint) throw notFound();
  const deliveries = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(limit);
  const attempts =
    deliveries.length === 0
      ? []
      : await db
          .select()
          .from(webhookAttempts)
          .where(
            inArray(
              webhookAttempts.deliveryId,
              deliveries.map((d) => d.id),
            ),
          )
          .orderBy(webhookAttempts.createdAt);
  return deliveries.map((delivery) => ({
    ...delivery,
    attemptLog: attempts.filter((a) => a.deliveryId === delivery.id),
  }));
}

/** Sends a delivery again now, whatever became of it, under the same Tandem-Delivery id. */
export async function replayWebhookDelivery(
  db: Database,
  endpointId: string,
  deliveryId: string,
): Promise<{ jobId: string }> {
  return db.transaction(async (tx) => {
    const [delivery] = await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', nextRetryAt: new Date() })
      .where(
        and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)),
      )
      .returning({ id: webhookDeliveries.id });
    if (!delivery)
      throw new TandemError('not_found:delivery', 'This endpoint has no such delivery.');
    const jobId = await enqueueJob(tx, {
      type: WEBHOOK_DELIVERY_JOB,
      payload: { deliveryId, replay: true },
    });
    return { jobId };
  });
}

const notFound = () => new TandemError('not_found:webhook', 'No webhook endpoint has that id.');
