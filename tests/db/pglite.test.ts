import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { count, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { kbDocuments } from '@/db/schema';
import { seedDatabase } from '@/db/seed';
import { createTempDataDir } from '../harness/postgres';
import { DEMO_ARTICLES, describeDataLayer, queryRows } from './data-layer-contract';

describeDataLayer(
  'data layer: PGlite (embedded)',
  async () => {
    const dataDir = await createTempDataDir();
    const handle = await openDatabase({ driver: 'pglite', dataDir: dataDir.dir });
    return {
      handle,
      async cleanup() {
        await handle.close();
        await dataDir.cleanup();
      },
    };
  },
  {
    async verifyEngine(handle) {
      expect(handle.driver).toBe('pglite');
      const [row] = await queryRows<{ version: string }>(handle.db, sql`select version()`);
      expect(row?.version).toMatch(/\(PGlite \d+\.\d+\.\d+\)/);
    },
  },
);

describe('data layer: PGlite data folder', () => {
  it('keeps its data across a close and reopen, and removes its pid file on close', async () => {
    const dataDir = await createTempDataDir();
    const pidFile = path.join(dataDir.dir, 'tandem.pid');
    const accounts = {
      admin: { email: 'admin@tandem.test' },
      agent: { email: 'agent@tandem.test' },
    };
    try {
      const first = await openDatabase({ driver: 'pglite', dataDir: dataDir.dir });
      expect(readFileSync(pidFile, 'utf8')).toBe(String(process.pid));
      await first.migrate((db) => seedDatabase(db, accounts).then(() => {}));
      await first.close();
      expect(existsSync(pidFile)).toBe(false);

      const reopened = await openDatabase({ driver: 'pglite', dataDir: dataDir.dir });
      try {
        await reopened.migrate();
        expect(await reopened.db.select({ n: count() }).from(kbDocuments)).toEqual([
          { n: DEMO_ARTICLES },
        ]);
        expect(await seedDatabase(reopened.db, accounts)).toEqual({
          articles: 0,
          createdAccounts: [],
        });
      } finally {
        await reopened.close();
      }
    } finally {
      await dataDir.cleanup();
    }
  });
});
