import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiIdempotency } from '@/db/schema';
import { createApiKey } from '@/lib/api-keys/keys';
import { TandemError } from '@/lib/errors';
import { hashRequest, idempotentWorkIds, onceFor } from '@/lib/idempotency/idempotent-requests';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

let app: TestDatabaseContext;
let keyId: string;

beforeAll(async () => {
  app = await openTestDatabase();
  keyId = (await createApiKey(app.database.db, { name: 'shop', scopes: ['write'] })).apiKey.id;
});
afterAll(() => app.close());

const claimFor = (idempotencyKey: string, body: unknown = { text: 'hello' }) => ({
  keyId,
  idempotencyKey,
  requestHash: hashRequest(body),
});

/** A promise the test resolves when it chooses, and one that says the work has begun. */
function gate<T>() {
  let open!: (value: T) => void;
  let started!: () => void;
  const opened = new Promise<T>((resolve) => {
    open = resolve;
  });
  const began = new Promise<void>((resolve) => {
    started = resolve;
  });
  return {
    open,
    began,
    work: async () => {
      started();
      return opened;
    },
  };
}

const row = async (idempotencyKey: string) =>
  (
    await app.database.db
      .select()
      .from(apiIdempotency)
      .where(
        and(eq(apiIdempotency.keyId, keyId), eq(apiIdempotency.idempotencyKey, idempotencyKey)),
      )
  )[0];

/** What a clock past the lease would show: the claim's lease has ended. */
const endLease = (idempotencyKey: string) =>
  app.database.db
    .update(apiIdempotency)
    .set({ leaseUntil: sql`now() - interval '1 second'` })
    .where(and(eq(apiIdempotency.keyId, keyId), eq(apiIdempotency.idempotencyKey, idempotencyKey)));

async function conflictOf(promise: Promise<unknown>): Promise<TandemError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TandemError);
  expect((error as TandemError).code).toBe('conflict:idempotency');
  return error as TandemError;
}

describe('Idempotency-Key claims with a lease', () => {
  it('runs the work once and replays its response', async () => {
    let runs = 0;
    const work = async () => ({ status: 200, body: { run: ++runs } });
    expect(await onceFor(app.database.db, claimFor('once'), work)).toEqual({
      status: 200,
      body: { run: 1 },
      replayed: false,
    });
    expect(await onceFor(app.database.db, claimFor('once'), work)).toEqual({
      status: 200,
      body: { run: 1 },
      replayed: true,
    });
    expect(runs).toBe(1);
  });

  it('answers a retry while the first still runs with 409 and Retry-After until the lease ends', async () => {
    const first = gate<{ status: number; body: unknown }>();
    const running = onceFor(app.database.db, claimFor('busy'), first.work);
    await first.began;
    const conflict = await conflictOf(
      onceFor(app.database.db, claimFor('busy'), async () => ({ status: 200, body: 'twice' })),
    );
    const retryAfter = Number(conflict.headers?.['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(conflict.details).toEqual({ retryAfterSeconds: retryAfter });
    expect(conflict.message).toBe(
      `A request with this Idempotency-Key is still being processed; retry in ${retryAfter} seconds.`,
    );
    first.open({ status: 201, body: 'first' });
    expect(await running).toMatchObject({ status: 201, body: 'first', replayed: false });
  });

  it('refuses the same key with another body, running or done', async () => {
    await onceFor(app.database.db, claimFor('body'), async () => ({ status: 200, body: 1 }));
    const conflict = await conflictOf(
      onceFor(app.database.db, claimFor('body', { text: 'other' }), async () => ({
        status: 200,
        body: 2,
      })),
    );
    expect(conflict.message).toBe(
      'This Idempotency-Key was already used with a different request.',
    );
    expect(conflict.headers).toBeUndefined();
  });

  it('lets the first retry after the lease take over a claim whose request died, exactly once', async () => {
    // The first request hangs as a dead process would: it never finishes, never renews.
    const dead = gate<{ status: number; body: unknown }>();
    const abandoned = onceFor(app.database.db, claimFor('died'), dead.work);
    await dead.began;
    await endLease('died');

    let runs = 0;
    const retries = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        onceFor(app.database.db, claimFor('died'), async () => ({
          status: 200,
          body: { run: ++runs },
        })),
      ),
    );
    expect(runs).toBe(1);
    const answered = retries.filter((r) => r.status === 'fulfilled');
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ value: { body: { run: 1 }, replayed: false } });
    for (const refused of retries.filter((r) => r.status === 'rejected')) {
      expect((refused.reason as TandemError).code).toBe('conflict:idempotency');
    }
    expect(await row('died')).toMatchObject({ status: 200, response: { run: 1 } });

    // Should the first come back to life after all, it cannot overwrite what the retry stored.
    dead.open({ status: 200, body: { run: 'zombie' } });
    await abandoned;
    expect(await row('died')).toMatchObject({ status: 200, response: { run: 1 } });
    expect(
      await onceFor(app.database.db, claimFor('died'), async () => ({ status: 500, body: 0 })),
    ).toMatchObject({ body: { run: 1 }, replayed: true });
  });

  it('renews the lease while a long request runs, so no retry takes over a live one', async () => {
    const leaseMs = 300;
    const first = gate<{ status: number; body: unknown }>();
    const running = onceFor(app.database.db, claimFor('long'), first.work, { leaseMs });
    await first.began;
    const initial = (await row('long'))!.leaseUntil.getTime();
    // Wait for two renewals: the lease's end moves on while the request runs.
    let renewed = initial;
    while (renewed <= initial + leaseMs / 3) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      renewed = (await row('long'))!.leaseUntil.getTime();
    }
    expect((await row('long'))!.status).toBeNull();
    await conflictOf(
      onceFor(app.database.db, claimFor('long'), async () => ({ status: 200, body: 'x' }), {
        leaseMs,
      }),
    );
    first.open({ status: 200, body: 'long' });
    expect(await running).toMatchObject({ body: 'long', replayed: false });
    expect(await row('long')).toMatchObject({ status: 200, response: 'long' });
  });

  it('frees the key when the work fails, so a retry runs it again', async () => {
    await expect(
      onceFor(app.database.db, claimFor('fails'), async () => {
        throw new Error('model unreachable');
      }),
    ).rejects.toThrow('model unreachable');
    expect(await row('fails')).toBeUndefined();
    expect(
      await onceFor(app.database.db, claimFor('fails'), async () => ({ status: 200, body: 'ok' })),
    ).toMatchObject({ body: 'ok', replayed: false });
  });
});

describe('idempotentWorkIds', () => {
  it('gives one request under one key the same ids, valid as a conversation id', () => {
    const a = idempotentWorkIds(claimFor('k1'));
    expect(idempotentWorkIds(claimFor('k1'))).toEqual(a);
    expect(z.uuid().safeParse(a.conversationId).success).toBe(true);
    expect(a.messageKey).toMatch(/^idempotency:[0-9a-f]{40}$/);
  });

  it('gives another key, another body or another caller other ids', () => {
    const a = idempotentWorkIds(claimFor('k1'));
    expect(idempotentWorkIds(claimFor('k2')).conversationId).not.toBe(a.conversationId);
    expect(idempotentWorkIds(claimFor('k1', { text: 'other' })).messageKey).not.toBe(a.messageKey);
    expect(
      idempotentWorkIds({ ...claimFor('k1'), keyId: crypto.randomUUID() }).conversationId,
    ).not.toBe(a.conversationId);
  });
});
