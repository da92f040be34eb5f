import { createPool } from '@vercel/postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import {
  configureVercelPostgres,
  loadVercelNeonConfig,
  type NeonConfig,
  type NeonWsProxy,
  startNeonWsProxy,
} from '../harness/neon-ws-proxy';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';
import { describeDataLayer, queryRows } from './data-layer-contract';

const databaseUrl = testEnv.databaseUrl;

describe.skipIf(!databaseUrl)(
  'data layer: PostgreSQL via @vercel/postgres (WebSocket shim)',
  () => {
    let proxy: NeonWsProxy;
    let database: TestDatabase | undefined;

    beforeAll(async () => {
      proxy = await startNeonWsProxy();
      await configureVercelPostgres(proxy.port);
    });

    afterAll(async () => {
      await proxy?.close();
    });

    describeDataLayer(
      'contract',
      async () => {
        database = await createTestDatabase(databaseUrl ?? '');
        const handle = await openDatabase({ driver: 'vercel-postgres', url: database.url });
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
          expect(handle.driver).toBe('vercel-postgres');
          const [row] = await queryRows<{ version: string; database: string }>(
            handle.db,
            sql`select version(), current_database() as database`,
          );
          expect(row?.version).toMatch(/^PostgreSQL \d+/);
          expect(row?.database).toBe(database?.name);
          expect(proxy.connectionCount()).toBeGreaterThan(0);
        },
        dropServerConnections: async () => (database ? database.terminateConnections() : 0),
      },
    );

    describe('shim wiring', () => {
      let scratch: TestDatabase;

      beforeAll(async () => {
        scratch = await createTestDatabase(databaseUrl ?? '');
      });

      afterAll(async () => {
        await scratch?.drop();
      });

      it('carries a fresh @vercel/postgres pool connection through the shim', async () => {
        const pool = createPool({ connectionString: scratch.url });
        try {
          const servedBefore = proxy.connectionCount();
          const { rows } = await pool.query('select current_database() as database');
          expect(rows).toEqual([{ database: scratch.name }]);
          expect(proxy.connectionCount()).toBe(servedBefore + 1);
        } finally {
          await pool.end();
        }
      });

      it('cannot reach local PostgreSQL once the shim settings are taken off @vercel/postgres’s own neonConfig', async () => {
        const neonConfig = await loadVercelNeonConfig();
        const configured = pickShimSettings(neonConfig);
        Object.assign(neonConfig, {
          wsProxy: undefined,
          useSecureWebSocket: undefined,
          pipelineTLS: undefined,
          pipelineConnect: undefined,
        });
        const pool = createPool({ connectionString: scratch.url, connectionTimeoutMillis: 3_000 });
        pool.on('error', () => {});
        try {
          const servedBefore = proxy.connectionCount();
          const failure = (await pool.query('select 1').then(
            () => ({}),
            (error: unknown) => error,
          )) as { message?: string; target?: { url?: string } };
          // Neon's defaults: a TLS WebSocket to the database host itself, which nothing answers here.
          expect(failure.target?.url).toBe('wss://localhost/v2');
          expect(failure.message).toMatch(/ECONNREFUSED .*:443$/);
          expect(proxy.connectionCount()).toBe(servedBefore);
        } finally {
          Object.assign(neonConfig, configured);
          await pool.end().catch(() => {});
        }
      });
    });
  },
);

function pickShimSettings(config: NeonConfig): NeonConfig {
  const { wsProxy, useSecureWebSocket, pipelineTLS, pipelineConnect } = config;
  return { wsProxy, useSecureWebSocket, pipelineTLS, pipelineConnect };
}
