import { createHash } from 'node:crypto';
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { apiIdempotency } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import { log } from '@/lib/log';

/**
 * How long a claim holds its key without a sign of life. The request renews it every third of
 * that while it runs, so only a claim whose request died (process killed, database gone) lapses,
 * and the next retry after it takes the key over.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

export const hashRequest = (body: unknown) =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

/**
 * Stable ids for the work behind one request under an Idempotency-Key: the idempotency key its
 * customer message is stored under, and the id of the conversation it opens. A run that takes over
 * from one that died (or retries one that failed) uses the same ids, so it finds what the first
 * stored instead of storing it again; another body under the same key gets other ids.
 */
export function idempotentWorkIds(input: {
  keyId: string;
  idempotencyKey: string;
  requestHash: string;
}) {
  const digest = createHash('sha256')
    .update(`${input.keyId}\n${input.idempotencyKey}\n${input.requestHash}`)
    .digest();
  return {
    messageKey: `idempotency:${digest.toString('hex').slice(0, 40)}`,
    conversationId: uuidFromDigest(digest),
  };
}

/** An RFC 9562 version-8 (custom) UUID from a hash: valid wherever a conversation id is checked. */
export function uuidFromDigest(digest: Buffer): string {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The lease's end doubles as the holder's fencing token: every write of a holder names the end it
// set, so one whose claim was taken over changes nothing. Kept to milliseconds, as Dates carry.
const leaseEnd = (leaseMs: number) =>
  sql<Date>`date_trunc('milliseconds', now() + ${leaseMs}::integer * interval '1 millisecond')`;

/**
 * Runs `handle` once per (key, Idempotency-Key): a retry gets the first response back and runs
 * nothing; the same key with a different body is a 409, and so is a retry while the first still
 * runs (with Retry-After). A claim whose request died is taken over by the first retry after its
 * lease, atomically, so `handle` must be safe to run again after a partial run: the API's message
 * handling is, through {@link idempotentWorkIds}. A request that fails frees the key at once.
 */
export async function onceFor(
  db: Database,
  input: { keyId: string; idempotencyKey: string; requestHash: string },
  handle: () => Promise<{ status: number; body: unknown }>,
  options: { leaseMs?: number } = {},
): Promise<StoredResponse> {
  const leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;
  const key = and(
    eq(apiIdempotency.keyId, input.keyId),
    eq(apiIdempotency.idempotencyKey, input.idempotencyKey),
  );

  let token: Date | null = null;
  // A claim deleted between our insert and our read (its request failed on a caller mistake)
  // simply frees the key: try again.
  for (let attempt = 0; token === null; attempt++) {
    const [claimed] = await db
      .insert(apiIdempotency)
      .values({ ...input, leaseUntil: leaseEnd(leaseMs) })
      .onConflictDoNothing()
      .returning({ leaseUntil: apiIdempotency.leaseUntil });
    if (claimed) {
      token = claimed.leaseUntil;
      break;
    }
    const [first] = await db
      .select({
        requestHash: apiIdempotency.requestHash,
        status: apiIdempotency.status,
        response: apiIdempotency.response,
        remainingMs: sql<string>`extract(epoch from (${apiIdempotency.leaseUntil} - now())) * 1000`,
      })
      .from(apiIdempotency)
      .where(key);
    if (!first) {
      if (attempt < 3) continue;
      throw stillRunning(leaseMs);
    }
    if (first.requestHash !== input.requestHash) {
      throw new TandemError(
        'conflict:idempotency',
        'This Idempotency-Key was already used with a different request.',
      );
    }
    if (first.status !== null) {
      return { status: first.status, body: first.response, replayed: true };
    }
    if (Number(first.remainingMs) > 0) throw stillRunning(Number(first.remainingMs));
    // The request holding the claim stopped renewing it: it died. One retry takes over.
    const [taken] = await db
      .update(apiIdempotency)
      .set({ leaseUntil: leaseEnd(leaseMs) })
      .where(
        and(
          key,
          isNull(apiIdempotency.status),
          eq(apiIdempotency.requestHash, input.requestHash),
          lte(apiIdempotency.leaseUntil, sql`now()`),
        ),
      )
      .returning({ leaseUntil: apiIdempotency.leaseUntil });
    if (!taken) throw stillRunning(leaseMs);
    log.warn({ keyId: input.keyId }, 'took over an idempotency claim whose request had died');
    token = taken.leaseUntil;
  }

  const held = () => and(key, eq(apiIdempotency.leaseUntil, token!));
  let renewal: Promise<void> = Promise.resolve();
  const heartbeat = setInterval(() => {
    renewal = renewal.then(async () => {
      try {
        const [renewed] = await db
          .update(apiIdempotency)
          .set({ leaseUntil: leaseEnd(leaseMs) })
          .where(and(held(), isNull(apiIdempotency.status)))
          .returning({ leaseUntil: apiIdempotency.leaseUntil });
        if (renewed) token = renewed.leaseUntil;
      } catch {
        // The database is unreachable: the request will fail too, and the lease lapse.
      }
    });
  }, leaseMs / 3);
  heartbeat.unref?.();
  const stopHeartbeat = async () => {
    clearInterval(heartbeat);
    await renewal;
  };

  let result: { status: number; body: unknown };
  try {
    result = await handle();
  } catch (error) {
    await stopHeartbeat();
    await db
      .delete(apiIdempotency)
      .where(held())
      .catch(() => {});
    throw error;
  }
  await stopHeartbeat();
  const [stored] = await db
    .update(apiIdempotency)
    .set({ status: result.status, response: result.body })
    .where(held())
    .returning({ status: apiIdempotency.status });
  if (!stored) {
    // Our claim lapsed and a retry took it over: its answer is the one kept.
    log.warn({ keyId: input.keyId }, 'an idempotency claim lapsed while its request ran');
  }
  return { ...result, replayed: false };
}

function stillRunning(remainingMs: number): TandemError {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return new TandemError(
    'conflict:idempotency',
    `A request with this Idempotency-Key is still being processed; retry in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { retryAfterSeconds: seconds },
    { 'retry-after': String(seconds) },
  );
}
