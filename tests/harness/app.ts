import { encodeStaffSession } from '@/lib/auth/staff-session';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { startApp, stopApp } from '@/lib/server/app';
import { createStaff } from '@/lib/staff/queries';
import { createMigratedDataDir } from './database';

/**
 * A whole Tandem app on a throwaway PGlite folder, configured as a process would be. Consent is
 * not asked for unless a test turns it on (TANDEM_CONSENT_REQUIRED=true): the consent tests do.
 */
export async function startTestApp(env: Record<string, string> = {}) {
  const dataDir = await createMigratedDataDir();
  const app = await startApp(
    parseConfig({
      TANDEM_DATA_DIR: dataDir.dir,
      LOG_LEVEL: 'silent',
      TANDEM_CONSENT_REQUIRED: 'false',
      ...env,
    }),
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
