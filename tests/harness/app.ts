import { cp } from 'node:fs/promises';
import { inject } from 'vitest';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { startApp, stopApp } from '@/lib/server/app';
import { createStaff } from '@/lib/staff/queries';
import { createMigratedDataDir } from './database';
import { createTempDataDir } from './postgres';
import { TEST_APP_ENV } from './test-app-env';

/**
 * Settings that change what a first start writes (the demo, accounts, the secret, the embedding
 * model, the chunking, the database): an app given any of them starts on an empty database.
 */
const CHANGES_FIRST_START =
  /^(TANDEM_DEMO|DATABASE_URL|POSTGRES_URL|TANDEM_SECRET|TANDEM_(ADMIN|AGENT)_|OPENAI_|TANDEM_SENTENCE_ENCODER|TANDEM_CHUNK_|QDRANT_|NEXTAUTH_URL)/;

/**
 * A data folder for a test app: a copy of the one the run's first app seeded
 * (tests/harness/global-setup.ts), or an empty migrated database when `env` would have started
 * differently.
 */
async function testAppDataDir(env: Record<string, string>) {
  const seeded = inject('seededAppDataDir');
  if (!seeded || Object.keys(env).some((key) => CHANGES_FIRST_START.test(key)))
    return createMigratedDataDir();
  const dataDir = await createTempDataDir();
  await cp(seeded, dataDir.dir, { recursive: true });
  return dataDir;
}

/** A whole Tandem app on a throwaway PGlite folder, configured as a process would be. */
export async function startTestApp(env: Record<string, string> = {}) {
  const dataDir = await testAppDataDir(env);
  const app = await startApp(
    parseConfig({ TANDEM_DATA_DIR: dataDir.dir, ...TEST_APP_ENV, ...env }),
  );
  return {
    app,
    async stop() {
      await stopApp(app);
      await dataDir.cleanup();
    },
  };
}

/**
 * Route handlers ask `getApp()` for the process's app, which lib/server/app.ts keeps on globalThis (so
 * dev reloads reuse it); pointing that at a test app lets tests call handlers directly.
 */
export function serveRoutesFrom(app: Promise<AppContext>): void {
  app.catch(() => {});
  (globalThis as typeof globalThis & { __tandemApp?: Promise<AppContext> }).__tandemApp = app;
}

/** A new agent or admin on the test app, and the session cookie their signed-in browser sends. */
export async function signedInStaff(app: AppContext, role: 'agent' | 'admin', name: string) {
  const staff = await createStaff(app.database.db, {
    email: `${name.toLowerCase().replaceAll(' ', '.')}@example.com`,
    name,
    role,
    password: 'a good password',
  });
  return { staff, cookie: `next-auth.session-token=${await encodeStaffSession(app, staff)}` };
}

/**
 * A test app that route handlers called directly also use (see {@link serveRoutesFrom}); it is
 * served while still starting, so a handler called early waits for it instead of starting another.
 */
export function startServedTestApp(env: Record<string, string> = {}) {
  const started = startTestApp(env);
  serveRoutesFrom(started.then((s) => s.app));
  return started;
}
