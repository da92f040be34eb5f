import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
/** The desk under test, for specs that build pages on other origins pointing at it. */
export const deskURL = `http://localhost:${port}`;
const reportDir = process.env.TANDEM_TEST_REPORT_DIR;

// With a PostgreSQL and a Redis server to use, two more instances share them, so a test can put
// a customer on one and an agent on the other.
const serverUrl = process.env.TEST_DATABASE_URL || undefined;
const redisUrl = process.env.TEST_REDIS_URL || undefined;
export const twinPorts = serverUrl && redisUrl ? [port + 1, port + 2] : [];
const twinDatabase = 'tandem_e2e';
// The consent spec's own instance: consent required (the product default) and an
// OpenAI-compatible model that records every call, so the spec can show who reached a model.
export const consentPort = port + 3;
export const recordingModelPort = port + 4;
// The setup wizard's instance: a clean desk (TANDEM_DEMO=false), as a deployment starts.
export const cleanPort = port + 5;

const quiet = {
  TANDEM_ADMIN_PASSWORD: 'e2e-admin-password',
  TANDEM_AGENT_PASSWORD: 'e2e-agent-password',
  LOG_LEVEL: 'warn',
  POSTGRES_URL: '',
  UPSTASH_REDIS_REST_URL: '',
  OPENAI_API_KEY: '',
  NEXTAUTH_URL: '',
  // Every spec chats from this one address; the widget's flood limits have their own tests.
  TANDEM_WIDGET_CONVERSATIONS_PER_HOUR: '100000',
  TANDEM_WIDGET_MESSAGES_PER_MINUTE: '10000',
  // The other specs chat straight away; e2e/consent.spec.ts runs its own instance that asks.
  TANDEM_CONSENT_REQUIRED: 'false',
  // The demo content's actions call the demo shop on the desk itself (e2e/actions.spec.ts).
  TANDEM_ACTIONS_ALLOWED_HOSTS: 'localhost,127.0.0.1',
  // The specs run on the demo, also the twins on a database server (where it is off by default);
  // e2e/setup-wizard.spec.ts has its own clean instance.
  TANDEM_DEMO: 'true',
};

function twinDatabaseUrl(): string {
  const url = new URL(serverUrl!);
  url.pathname = `/${twinDatabase}`;
  return url.toString();
}

export default defineConfig({
  testDir: './e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: reportDir
    ? [['list'], ['json', { outputFile: `${reportDir}/playwright.json` }]]
    : [['list']],
  use: {
    baseURL: deskURL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          // Debian's Chromium: Playwright's own browser download cannot work on these machines.
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  // Started one after another: the first builds, the twins reuse its build.
  webServer: [
    {
      // A production build on a fresh embedded database, every run.
      command: [
        'rm -rf .tmp/e2e-data',
        ...(twinPorts.length ? [`node scripts/e2e-database.mjs ${serverUrl} ${twinDatabase}`] : []),
        // E2E_REUSE_BUILD=1 starts the build already in .next (re-running specs after a build).
        ...(process.env.E2E_REUSE_BUILD ? [] : ['npx next build']),
        `node scripts/start.mjs -p ${port}`,
      ].join(' && '),
      url: `http://localhost:${port}/api/health/ready`,
      // The build shares two cores with whatever else runs (CI, other suites): it can take minutes.
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: { ...quiet, TANDEM_DATA_DIR: '.tmp/e2e-data', DATABASE_URL: '', REDIS_URL: '' },
    },
    ...twinPorts.map((twin) => ({
      command: `node scripts/start.mjs -p ${twin}`,
      url: `http://localhost:${twin}/api/health/ready`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'pipe' as const,
      env: {
        ...quiet,
        DATABASE_URL: twinDatabaseUrl(),
        REDIS_URL: redisUrl!,
        TANDEM_CACHE_PREFIX: `tandem-e2e-${process.pid}:`,
      },
    })),
    {
      command: `node e2e/fixtures/recording-model.mjs ${recordingModelPort}`,
      url: `http://127.0.0.1:${recordingModelPort}/health`,
      timeout: 10_000,
      reuseExistingServer: false,
    },
    {
      command: `rm -rf .tmp/e2e-consent-data && node scripts/start.mjs -p ${consentPort}`,
      url: `http://localhost:${consentPort}/api/health/ready`,
      timeout: 90_000,
      reuseExistingServer: false,
      stdout: 'pipe' as const,
      env: {
        ...quiet,
        TANDEM_CONSENT_REQUIRED: 'true',
        TANDEM_DATA_DIR: '.tmp/e2e-consent-data',
        DATABASE_URL: '',
        REDIS_URL: '',
        OPENAI_API_KEY: 'e2e-key',
        OPENAI_BASE_URL: `http://127.0.0.1:${recordingModelPort}/v1`,
        OPENAI_MODEL: 'e2e-model',
      },
    },
    {
      command: `rm -rf .tmp/e2e-clean-data && node scripts/start.mjs -p ${cleanPort}`,
      url: `http://localhost:${cleanPort}/api/health/ready`,
      timeout: 90_000,
      reuseExistingServer: false,
      stdout: 'pipe' as const,
      env: {
        ...quiet,
        TANDEM_DEMO: 'false',
        TANDEM_DATA_DIR: '.tmp/e2e-clean-data',
        DATABASE_URL: '',
        REDIS_URL: '',
      },
    },
  ],
});
