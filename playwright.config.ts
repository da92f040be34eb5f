import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);
const reportDir = process.env.TANDEM_TEST_REPORT_DIR;

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
    baseURL: `http://localhost:${port}`,
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
  webServer: {
    // A production build on a fresh embedded database, every run.
    command: `rm -rf .tmp/e2e-data && npx next build && npx next start -p ${port}`,
    url: `http://localhost:${port}/api/health/ready`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      TANDEM_DATA_DIR: '.tmp/e2e-data',
      TANDEM_OFFLINE_TOKEN_DELAY_MS: '15',
      TANDEM_ADMIN_PASSWORD: 'e2e-admin-password',
      TANDEM_AGENT_PASSWORD: 'e2e-agent-password',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      POSTGRES_URL: '',
      REDIS_URL: '',
      UPSTASH_REDIS_REST_URL: '',
      OPENAI_API_KEY: '',
    },
  },
});
