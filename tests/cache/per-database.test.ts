import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/db/client';
import { createDatabaseCache } from '@/lib/cache/per-database';

describe('per-database cache', () => {
  let client: PGlite;
  let db: Database;
  let other: Database;

  beforeAll(async () => {
    client = await PGlite.create();
    db = drizzle({ client }) as unknown as Database;
    other = drizzle({ client }) as unknown as Database;
  });
  afterAll(async () => {
    await client.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const counter = () => {
    let loads = 0;
    return {
      load: (value: string) => async () => {
        loads += 1;
        return value;
      },
      get loads() {
        return loads;
      },
    };
  };

  it('shares one copy between a database and its transactions', async () => {
    const cache = createDatabaseCache<string>('test:transactions', 5_000);
    const count = counter();
    expect(await cache.read(db, 'k', count.load('outside'))).toBe('outside');
    await db.transaction(async (tx) => {
      expect(await cache.read(tx as unknown as Database, 'k', count.load('inside'))).toBe(
        'outside',
      );
      await tx.transaction(async (nested) => {
        expect(await cache.read(nested as unknown as Database, 'k', count.load('nested'))).toBe(
          'outside',
        );
      });
      cache.forget(tx as unknown as Database, 'k');
    });
    expect(count.loads).toBe(1);
    // Forgotten inside the transaction means forgotten for the database.
    expect(await cache.read(db, 'k', count.load('after'))).toBe('after');
    expect(count.loads).toBe(2);
  });

  it('keeps separate copies for separate databases, and per key', async () => {
    const cache = createDatabaseCache<string>('test:databases', 5_000);
    expect(await cache.read(db, 'k', async () => 'one')).toBe('one');
    expect(await cache.read(other, 'k', async () => 'two')).toBe('two');
    expect(await cache.read(db, 'j', async () => 'three')).toBe('three');
    cache.forget(other, 'k');
    expect(await cache.read(db, 'k', async () => 'unused')).toBe('one');
    expect(await cache.read(other, 'k', async () => 'four')).toBe('four');
    cache.forget(db);
    expect(await cache.read(db, 'k', async () => 'five')).toBe('five');
    expect(await cache.read(db, 'j', async () => 'six')).toBe('six');
  });

  it('shares copies between two caches of one name, as separate bundles of a module have', async () => {
    const one = createDatabaseCache<string>('test:bundles', 5_000);
    const two = createDatabaseCache<string>('test:bundles', 5_000);
    expect(await one.read(db, 'k', async () => 'old')).toBe('old');
    expect(await two.read(db, 'k', async () => 'unused')).toBe('old');
    two.forget(db, 'k');
    expect(await one.read(db, 'k', async () => 'new')).toBe('new');
  });

  it('loads again once the copy is as old as the time given', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cache = createDatabaseCache<string>('test:expiry', 5_000);
    expect(await cache.read(db, 'k', async () => 'old')).toBe('old');
    vi.advanceTimersByTime(4_999);
    expect(await cache.read(db, 'k', async () => 'new')).toBe('old');
    vi.advanceTimersByTime(1);
    expect(await cache.read(db, 'k', async () => 'new')).toBe('new');
  });

  it('does not keep what a load read before a change it overlapped was forgotten', async () => {
    const cache = createDatabaseCache<string>('test:overlap', 5_000);
    let finish!: (value: string) => void;
    const slow = cache.read(db, 'k', () => new Promise((resolve) => (finish = resolve)));
    cache.forget(db, 'k');
    finish('read before the change');
    expect(await slow).toBe('read before the change');
    expect(await cache.read(db, 'k', async () => 'after the change')).toBe('after the change');
  });

  it('keeps no copy of a failed load', async () => {
    const cache = createDatabaseCache<string>('test:failure', 5_000);
    await expect(
      cache.read(db, 'k', async () => {
        await db.execute(sql`select * from no_such_table`);
        return 'never';
      }),
    ).rejects.toThrow();
    expect(await cache.read(db, 'k', async () => 'loaded')).toBe('loaded');
  });
});
