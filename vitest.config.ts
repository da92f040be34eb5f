import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const reportFile = process.env.TANDEM_TEST_REPORT_DIR;

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/harness/global-setup.ts'],
    // Most files wait on a database, a server or a socket: two workers keep both cores busy.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: reportFile ? ['verbose', 'json'] : ['default'],
    outputFile: reportFile ? { json: `${reportFile}/vitest.json` } : undefined,
  },
});
