import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { apiIdempotency } from '@/db/schema';
import { TandemError } from '@/lib/errors';

const MAX_KEY_CHARS = 200;

/** The request's `Idempotency-Key`, if it sent one; a key too long to be one is a 400. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get('idempotency-key')?.trim() || undefined;
  if (key && key.length > MAX_KEY_CHARS) {
    throw new TandemError(
      'bad_request:api',
      `Idempotency-Key: at most ${MAX_KEY_CHARS} characters.`,
    );
  }
  return key;
}

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

export const hashRequest = (body: unknown) =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

/**
 * Runs `handle` once per (key, Idempotency-Key): a retry gets the first response back and runs
 * nothing; the same key with a different body, or while the first is still running, is a 409.
 */
export async function onceFor(
  db: Database,
  input: { keyId: string; idempotencyKey: string; requestHash: string },
  handle: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const claimed = await db
    .insert(apiIdempotency)
    .values({
      keyId: input.keyId,
      idempotencyKey: input.idempotencyKey,
      requestHash: input.requestHash,
    })
    .onConflictDoNothing()
    .returning({ keyId: apiIdempotency.keyId });
  const where = and(
    eq(apiIdempotency.keyId, input.keyId),
    eq(apiIdempotency.idempotencyKey, input.idempotencyKey),
  );
  if (claimed.length === 0) {
    const [first] = await db.select().from(apiIdempotency).where(where);
    if (first!.requestHash !== input.requestHash) {
      throw new TandemError(
        'conflict:idempotency',
        'This Idempotency-Key was already used with a different request.',
      );
    }
    if (first!.status === null) {
      throw new TandemError(
        'conflict:idempotency',
        'A request with this Idempotency-Key is still being processed; retry shortly.',
      );
    }
    return { status: first!.status, body: first!.response, replayed: true };
  }
  try {
    const result = await handle();
    await db
      .update(apiIdempotency)
      .set({ status: result.status, response: result.body })
      .where(where);
    return { ...result, replayed: false };
  } catch (error) {
    // A failed first attempt leaves nothing behind, so the client can retry with the same key.
    await db.delete(apiIdempotency).where(where);
    throw error;
  }
}
