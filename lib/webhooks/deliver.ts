import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import type { Job } from '@/lib/jobs/queries';
import { retryDelayMs } from '@/lib/jobs/queries';
import { PermanentJobError, RetryJobError } from '@/lib/jobs/worker';
import { resolveTarget } from '@/lib/kb/fetch-url';
import { truncateText } from '@/lib/text/truncate';
import { signWebhookBody } from './sign';

export interface DeliveryOptions {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  allowPrivateNetworks: boolean;
}

/** The only part of a receiver's answer kept in the log. */
const RESPONSE_EXCERPT_CHARS = 300;

/**
 * Sends one delivery and logs the attempt. Success and final failure are recorded on the
 * delivery; otherwise the job is retried with backoff, and the log shows when. A delivery that
 * already succeeded is not sent again unless an admin replays it (which sets it pending).
 */
export async function deliverWebhook(
  db: Database,
  job: Job,
  options: DeliveryOptions,
): Promise<unknown> {
  const { deliveryId } = job.payload as { deliveryId: string };
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!row) throw new PermanentJobError('The delivery or its endpoint was deleted.');
  const { delivery, endpoint } = row;
  if (delivery.status === 'succeeded') return { skipped: 'already delivered' };
  if (!endpoint.enabled) {
    await db
      .update(webhookDeliveries)
      .set({ status: 'failed', lastError: 'The endpoint is disabled.', nextRetryAt: null })
      .where(eq(webhookDeliveries.id, delivery.id));
    throw new PermanentJobError('The endpoint is disabled.');
  }

  const attempt = delivery.attempts + 1;
  const body = JSON.stringify(delivery.payload);
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await post(
      endpoint.url,
      body,
      {
        'content-type': 'application/json',
        'user-agent': 'Tandem-Webhooks/1.0',
        'tandem-event': delivery.eventType,
        'tandem-delivery': delivery.id,
        'tandem-signature': signWebhookBody(endpoint.secret, body, Math.floor(Date.now() / 1000)),
      },
      options,
    );
    statusCode = response.status;
    if (statusCode < 200 || statusCode > 299) {
      error = `The receiver answered ${statusCode}${response.excerpt ? `: ${response.excerpt}` : ''}`;
    }
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  const durationMs = Date.now() - started;
  const last = error !== null && job.attempts >= options.maxAttempts;
  const retryInMs =
    error !== null && !last ? retryDelayMs(job.attempts, options.retryBaseMs) : null;
  const nextRetryAt = retryInMs === null ? null : new Date(Date.now() + retryInMs);

  await db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      attempt,
      statusCode,
      durationMs,
      error,
      nextRetryAt,
    });
    await tx
      .update(webhookDeliveries)
      .set({
        attempts: attempt,
        lastStatusCode: statusCode,
        lastError: error,
        nextRetryAt,
        status: error === null ? 'succeeded' : last ? 'failed' : 'pending',
        deliveredAt: error === null ? new Date() : null,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
  });
  if (error === null) return { statusCode, durationMs };
  if (retryInMs === null) throw new PermanentJobError(error);
  throw new RetryJobError(error, retryInMs);
}

/** POSTs to a checked public address (unless private ones are allowed), pinned against rebinding. */
async function post(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: DeliveryOptions,
): Promise<{ status: number; excerpt: string }> {
  const url = parseWebhookUrl(rawUrl);
  const target = await resolveTarget(url, { allowPrivateNetworks: options.allowPrivateNetworks });
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'POST',
      agent: false,
      lookup,
      timeout: options.timeoutMs,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    request.once('timeout', () =>
      request.destroy(new Error(`The receiver did not answer within ${options.timeoutMs} ms`)),
    );
    request.once('error', reject);
    request.once('response', (response) => {
      let excerpt = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (excerpt.length < RESPONSE_EXCERPT_CHARS) excerpt += chunk;
      });
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          excerpt: truncateText(excerpt, RESPONSE_EXCERPT_CHARS, '').trim(),
        }),
      );
      response.once('error', reject);
    });
    request.end(body);
  });
}

/** A webhook URL must be absolute http(s); the reason is said in terms of the `url` field. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new TandemError('bad_request:webhook', `"${raw}" is not a valid web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TandemError(
      'bad_request:webhook',
      `Only http:// and https:// addresses can receive webhooks, not ${url.protocol}//.`,
    );
  }
  if (url.username || url.password) {
    throw new TandemError(
      'bad_request:webhook',
      'Put no user name or password in the address; verify the signature instead.',
    );
  }
  url.hash = '';
  return url;
}
