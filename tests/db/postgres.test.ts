import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { openDatabase } from '@/db/client';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';
import { describeDataLayer, queryRows } from './data-layer-contract';

const databaseUrl = testEnv.databaseUrl;

describe.skipIf(!databaseUrl)('data layer: PostgreSQL via node-postgres', () => {
  let database: TestDatabase | undefined;

  describeDataLayer(
    'contract',
    async () => {
      database = await createTestDatabase(databaseUrl ?? '');
      const handle = await openDatabase({ driver: 'pg', url: database.url });
      return {
        handle,
        async cleanup() {
          await handle.close();
          await database?.drop();
        },
      };
    },
    {
      async verifyEngine(handle) {
        expect(handle.driver).toBe('pg');
        const [row] = await queryRows<{ version: string; database: string }>(
          handle.db,
          sql`select version(), current_database() as database`,
        );
        expect(row?.version).toMatch(/^PostgreSQL \d+/);
        expect(row?.version).not.toContain('PGlite');
        expect(row?.database).toBe(database?.name);
      },
      dropServerConnections: async () => (database ? database.terminateConnections() : 0),
    },
  );
});
