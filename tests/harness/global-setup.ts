import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { copyMigratedPglite } from '@/db/pglite-template';
import { parseConfig } from '@/lib/config';
import { startApp, stopApp } from '@/lib/server/app';
import { TEST_APP_ENV } from './test-app-env';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite folder a test app has started on once: demo seeded, classifiers trained. */
    seededAppDataDir: string;
  }
}

/**
 * Starts a test app once for the whole run and keeps its folder: seeding the demo and training
 * the classifiers is most of what a test app's start costs, and each test app copies the result
 * instead (tests/harness/app.ts). Built fresh every run, so it always matches the code under test.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-seeded-'));
  await copyMigratedPglite(dir);
  const app = await startApp(parseConfig({ ...TEST_APP_ENV, TANDEM_DATA_DIR: dir }));
  await stopApp(app);
  project.provide('seededAppDataDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
