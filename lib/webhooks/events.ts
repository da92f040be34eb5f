import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { webhookDeliveries, webhookEndpoints } from '@/db/schema';
import { createDatabaseCache } from '@/lib/cache/per-database';
import { enqueueJob } from '@/lib/jobs/queries';

export const WEBHOOK_EVENTS = [
  'conversation.escalated',
  'conversation.resolved',
  'ticket.created',
  'ticket.updated',
  'message.created',
  'csat.received',
  'action.executed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_DELIVERY_JOB = 'webhook.deliver';

/** The body every receiver gets: `{ id, type, created_at, data }`. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  created_at: string;
  data: Record<string, unknown>;
}

/**
 * How long an instance trusts its list of the event types any enabled endpoint subscribes to.
 * Every message emits an event and most desks subscribe to few or none, so a type nobody takes
 * costs no query. An endpoint saved on this instance counts at once, one saved on another within
 * this time; a subscribed type is always looked up afresh, so a removed endpoint gets nothing.
 */
export const WEBHOOK_SUBSCRIBERS_TTL_MS = 5_000;

const subscribers = createDatabaseCache<ReadonlySet<string>>(
  'webhook-subscribers',
  WEBHOOK_SUBSCRIBERS_TTL_MS,
);

// Events are emitted inside the transaction that made the change; the cache keeps one copy for
// the database and its transactions.
function subscribedTypes(db: Database): Promise<ReadonlySet<string>> {
  return subscribers.read(db, 'types', async () => {
    const rows = await db
      .select({ events: webhookEndpoints.events })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.enabled, true));
    return new Set(rows.flatMap((row) => row.events));
  });
}

/** After a change to the endpoints: this instance reads who subscribes to what again. */
export function forgetWebhookSubscribers(db: Database): void {
  subscribers.forget(db);
}

/**
 * Records an event for every enabled endpoint subscribed to it and queues one delivery job each.
 * Called with the transaction that made the change, the deliveries exist exactly when it does.
 */
export async function emitWebhookEvent(
  db: Database,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  if (!(await subscribedTypes(db)).has(type)) return;
  const endpoints = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.enabled, true), sql`${type} = any(${webhookEndpoints.events})`));
  if (endpoints.length === 0) return;
  const event: WebhookEvent = {
    id: randomUUID(),
    type,
    created_at: new Date().toISOString(),
    data,
  };
  const deliveries = await db
    .insert(webhookDeliveries)
    .values(
      endpoints.map((endpoint) => ({
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: type,
        payload: event,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id });
  for (const delivery of deliveries) {
    await enqueueJob(db, {
      type: WEBHOOK_DELIVERY_JOB,
      payload: { deliveryId: delivery.id },
      dedupeKey: `webhook:${delivery.id}`,
    });
  }
}

/** What a receiver learns about a message (the same for customer, AI, agent and system ones). */
export function messageEventData(message: {
  id: string;
  conversationId: string;
  role: string;
  content: string;
  createdAt: Date;
}) {
  return {
    message: {
      id: message.id,
      conversation_id: message.conversationId,
      role: message.role,
      content: message.content,
      created_at: message.createdAt.toISOString(),
    },
  };
}

export function ticketEventData(ticket: {
  id: string;
  number: number;
  customerId: string;
  conversationId: string | null;
  subject: string;
  status: string;
  priority: string;
}) {
  return {
    ticket: {
      id: ticket.id,
      number: ticket.number,
      customer_id: ticket.customerId,
      conversation_id: ticket.conversationId,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
    },
  };
}
