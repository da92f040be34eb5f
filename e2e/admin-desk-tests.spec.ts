import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { ADMIN, AGENT } from './fixtures/staff';

/** A small suite of every kind the demo desk serves, written as customers would write them. */
const SUITE = [
  { id: 'hello', turns: ['hi there'], expect: { kind: 'smalltalk' } },
  {
    id: 'weather',
    turns: ['What will the weather be like in Paris tomorrow?'],
    expect: { kind: 'abstain' },
  },
  {
    id: 'person',
    turns: ['I want to talk to a real person please'],
    expect: { kind: 'escalate', reason: 'customer_request' },
  },
  {
    id: 'alice-plan',
    customer: 'demo-alice',
    turns: ['What plan am I on?'],
    expect: { kind: 'tool', tool: { name: 'lookup_account', args: {} }, facts: ['Plus'] },
  },
  {
    id: 'zh-refund',
    turns: ['退款需要多长时间？'],
    expect: { kind: 'answer', article: 'zh-refund-policy', language: 'zh' },
  },
];
const jsonl = (cases: object[]) => cases.map((c) => JSON.stringify(c)).join('\n');

async function signIn(page: Page, who: { email: string; password: string }, then: string) {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(then)}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === then);
}

async function importFile(page: Page, text: string, replace: boolean) {
  const form = page.getByRole('form', { name: 'Import test cases' });
  await form.getByLabel('JSON Lines file').setInputFiles({
    name: 'suite.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(text),
  });
  await form.getByLabel(/Replace the suite/).setChecked(replace);
  await form.getByRole('button', { name: 'Import' }).click();
}

/** Runs every case from the tests page and waits for the bar to reach the end. */
async function runAll(page: Page, cases: number) {
  const panel = page.getByRole('region', { name: 'Run the tests' });
  await panel.getByRole('button', { name: 'Run all' }).click();
  // The sandbox alone takes seconds to start, so the running state is always there to see.
  await expect(panel.getByRole('status')).toHaveText(/^The run is going\./);
  await expect(panel.getByRole('button', { name: 'Run all' })).toBeDisabled();
  const bar = panel.getByRole('progressbar', { name: 'Test run progress' });
  await expect(bar).toHaveAttribute('aria-valuemax', String(cases));
  await expect(panel.getByRole('status')).toContainText(
    /The run finished: \d+ of \d+ cases passed/,
    {
      timeout: 120_000,
    },
  );
  await expect(bar).toHaveAttribute('aria-valuenow', String(cases));
  await expect(panel).toContainText(`${cases} of ${cases} cases`);
}

/**
 * `npm run test:desk -- FILE --json --demo`: the command line on a fresh demo desk, which is what
 * this desk (seeded with the demo on its first start) holds. Its last line is the JSON summary.
 */
async function commandLineSummary(suite: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-e2e-desk-tests-'));
  try {
    const file = path.join(dir, 'suite.jsonl');
    await writeFile(file, suite);
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    for (const name of [
      'DATABASE_URL',
      'POSTGRES_URL',
      'REDIS_URL',
      'TANDEM_DATA_DIR',
      'OPENAI_API_KEY',
    ])
      delete env[name];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/test-desk.ts', file, '--json', '--demo'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout.trimEnd().split('\n').at(-1)!) as {
      n: number;
      passed: number;
      by_kind: Record<string, [number, number]>;
      pass_k: number;
      outcomes: Record<string, number>;
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('an admin imports a suite, edits a case, runs it twice with progress, and reads scores and the diff the command line agrees with', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await signIn(page, ADMIN, '/admin/tests');
  await expect(page.getByRole('heading', { name: 'Tests', level: 1 })).toBeVisible();

  // A file with bad lines is refused whole, each bad line named.
  await importFile(page, `${jsonl(SUITE.slice(0, 1))}\n{"id":"x","turns":[]}\nnot json`, true);
  const refusal = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
  await expect(refusal).toContainText('line 2: turns');
  await expect(refusal).toContainText('line 3: is not JSON');
  await expect(page.getByRole('heading', { name: 'Cases (0)' })).toBeVisible();

  await importFile(page, jsonl(SUITE), true);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toHaveText(
    'Imported: 5 added, 0 updated, 0 deleted.',
  );
  const table = page.getByRole('table', { name: 'Test cases' });
  await expect(table.getByRole('row')).toHaveCount(SUITE.length + 1);
  await expect(table.getByRole('row').filter({ hasText: 'weather' })).toContainText('not run yet');

  await runAll(page, SUITE.length);
  const weather = table.getByRole('row').filter({ hasText: 'weather' });
  await expect(weather.getByRole('link', { name: 'Last run of weather' })).toHaveText('pass');

  // Expecting an answer to a question the help center cannot answer makes the case fail.
  await weather.getByRole('button', { name: 'Edit weather' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit test case weather' });
  await expect(dialog.getByLabel('Message 1')).toHaveValue(SUITE[1]!.turns[0]!);
  await dialog.getByLabel('Expected outcome').selectOption('answer');
  await dialog.getByRole('button', { name: 'Save case' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText(
    'Saved the case “weather”.',
  );
  await expect(weather).toContainText('answer');

  // The suite as it now stands, through the export, for the command line to run meanwhile.
  const exported = await page.request.get('/api/admin/desk-tests/export');
  expect(exported.headers()['content-disposition']).toMatch(/attachment; filename=".+\.jsonl"/);
  const suite = await exported.text();
  expect(suite.trimEnd().split('\n')).toHaveLength(SUITE.length);
  const cli = commandLineSummary(suite);

  await runAll(page, SUITE.length);
  await expect(weather.getByRole('link', { name: 'Last run of weather' })).toHaveText('fail');
  await expect(weather).toContainText('declined instead of answering');

  await page
    .getByRole('region', { name: 'Run the tests' })
    .getByRole('link', { name: 'See the run' })
    .click();
  await page.waitForURL(/\/admin\/tests\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Test run of');

  const changes = page.getByRole('list', { name: 'Changed cases' });
  await expect(changes.getByRole('listitem').first()).toContainText('Newly failing');
  await expect(changes.getByRole('listitem').first()).toContainText('weather');
  await expect(changes.getByRole('listitem').first()).toContainText('pass → fail');

  const results = page.getByRole('list', { name: 'Case results' });
  const caseResult = (id: string) =>
    results.locator(':scope > li').filter({ has: page.getByText(id, { exact: true }) });
  const failed = caseResult('weather');
  await failed.locator('summary').click();
  await expect(failed).toContainText('Customer: What will the weather be like in Paris tomorrow?');
  await expect(failed).toContainText('abstained declined instead of answering');
  const escalated = caseResult('person');
  await escalated.locator('summary').click();
  await expect(escalated).toContainText('Escalated: customer_request');

  // The page's numbers are the command line's for the same suite on the same content.
  const byKind = page.getByRole('table', { name: 'Pass rate by kind' });
  const rows = await byKind
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim())),
    );
  const score = page.getByRole('region', { name: 'Score' });
  const passed = await score
    .locator('dt', { hasText: 'Passed' })
    .locator('xpath=following-sibling::dd[1]')
    .textContent();
  const summary = await cli;
  expect(passed).toBe(`${summary.passed}/${summary.n}`);
  expect(Object.fromEntries(rows.map(([kind, p, n]) => [kind, [Number(p), Number(n)]]))).toEqual(
    summary.by_kind,
  );
  expect(summary.by_kind.abstain).toBeUndefined();
  // How the run's conversations ended, as the command line counts them.
  const outcomes = page.getByRole('region', { name: 'Outcomes' });
  for (const [outcome, count] of Object.entries(summary.outcomes)) {
    await expect(outcomes.locator(`[data-outcome="${outcome}"] [data-count]`)).toHaveText(
      String(count),
    );
  }
});

test('an admin turns a console conversation into a test; agents are not offered it', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await customer.goto('/widget');
  const text = 'Hi, my name is Wren. I want to talk to a person, please.';
  const answered = customer.waitForResponse((r) => r.url().endsWith('/api/chat'));
  await customer.getByRole('textbox', { name: 'Message' }).fill(text);
  await customer.getByRole('button', { name: 'Send' }).click();
  await (await answered).finished();
  await customerContext.close();

  await signIn(page, ADMIN, '/console');
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .filter({ hasText: 'Wren' })
    .click();
  await page.waitForURL(/\/console\/conversations\/[0-9a-f-]{36}$/);
  const conversationUrl = new URL(page.url()).pathname;
  const conversationId = conversationUrl.split('/').at(-1)!;
  await page.getByRole('link', { name: 'Turn into a test' }).click();
  await page.waitForURL(/\/admin\/tests\?conversation=/);

  const dialog = page.getByRole('dialog', { name: 'New test case' });
  await expect(dialog).toContainText('Drafted from the conversation');
  await expect(dialog.getByLabel('Case id')).toHaveValue(
    `conversation-${conversationId.slice(0, 8)}`,
  );
  await expect(dialog.getByLabel('Message 1')).toHaveValue(text);
  await expect(dialog.getByLabel('Expected outcome')).toHaveValue('escalate');
  await expect(dialog.getByLabel('Hand-off reason')).toHaveValue('customer_request');
  await dialog.getByRole('button', { name: 'Save case' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added' })).toContainText(
    `Added the case “conversation-${conversationId.slice(0, 8)}”.`,
  );
  await expect(
    page.getByRole('table', { name: 'Test cases' }).getByRole('row').filter({ hasText: text }),
  ).toContainText('not run yet');

  const agentContext = await browser.newContext();
  try {
    const agent = await agentContext.newPage();
    await signIn(agent, AGENT, '/console');
    await agent.goto(conversationUrl);
    await expect(agent.getByRole('heading', { name: 'Wren' })).toBeVisible();
    await expect(agent.getByRole('button', { name: 'Take over' })).toBeVisible();
    await expect(agent.getByRole('link', { name: 'Turn into a test' })).toHaveCount(0);
  } finally {
    await agentContext.close();
  }
});
