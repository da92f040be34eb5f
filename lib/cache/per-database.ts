import type { Database } from '@/db/client';

/**
 * Values an instance keeps for a few seconds per database, e.g. settings every turn reads. A
 * change made on this instance is forgotten at once by whoever made it; one made on another
 * instance applies here once the copy expires.
 */
export interface DatabaseCache<T> {
  /** The copy for `key` on this database if younger than the cache's time, else `load`'s. */
  read(db: Database, key: string, load: () => Promise<T>): Promise<T>;
  /** Drops the copy for `key` (or every copy) on this database, here and in its transactions. */
  forget(db: Database, key?: string): void;
}

type Entry = { value: unknown; expires: number };
type Shelf = { entries: Map<string, Entry>; generation: number };

// On globalThis because Next bundles route handlers separately: a save in one route must clear
// the copy another route reads in the same process.
const holder = globalThis as typeof globalThis & {
  __tandemDatabaseCaches?: Map<string, WeakMap<object, Shelf>>;
};
holder.__tandemDatabaseCaches ??= new Map();
const caches = holder.__tandemDatabaseCaches;

/**
 * drizzle hands a transaction its database's dialect object (and a new database object gets a
 * new one), so the dialect names the database whether the database or a transaction is passed.
 */
function databaseKeyOf(db: Database): object {
  return (db as unknown as { dialect?: object }).dialect ?? db;
}

export function createDatabaseCache<T>(name: string, ttlMs: number): DatabaseCache<T> {
  let shelves = caches.get(name);
  if (!shelves) {
    shelves = new WeakMap();
    caches.set(name, shelves);
  }
  const shelfOf = (db: Database): Shelf => {
    const key = databaseKeyOf(db);
    let shelf = shelves.get(key);
    if (!shelf) {
      shelf = { entries: new Map(), generation: 0 };
      shelves.set(key, shelf);
    }
    return shelf;
  };

  return {
    // Concurrent misses each load rather than share one load: on PGlite a query outside a
    // transaction waits for the transaction to end, so a transaction awaiting it would never end.
    async read(db, key, load) {
      const shelf = shelfOf(db);
      const hit = shelf.entries.get(key);
      if (hit && hit.expires > Date.now()) return hit.value as T;
      const generation = shelf.generation;
      const value = await load();
      // A load that began before a change here was forgotten may have read the old value.
      if (shelf.generation === generation) {
        shelf.entries.set(key, { value, expires: Date.now() + ttlMs });
      }
      return value;
    },
    forget(db, key) {
      const shelf = shelfOf(db);
      shelf.generation += 1;
      if (key === undefined) shelf.entries.clear();
      else shelf.entries.delete(key);
    },
  };
}
