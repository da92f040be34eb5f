import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '@/lib/context';
import { importCases } from '@/lib/desk-tests/cases';
import { startRun } from '@/lib/server/desk-tests';
import { startTestApp } from '../harness/app';

const suite = path.join(__dirname, 'fixtures', 'small-suite.jsonl');
const script = path.join(process.cwd(), 'scripts', 'test-desk.ts');

/** `npm run test:desk -- …args`, with no desk configured: what it printed and how it exited. */
function testDesk(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const name of ['DATABASE_URL', 'POSTGRES_URL', 'TANDEM_DATA_DIR', 'OPENAI_API_KEY'])
    delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: process.cwd(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

let live: AppContext;
let stop: () => Promise<void>;
let scratch: string;

beforeAll(async () => {
  // A desk as it first starts: the demo content the command line tests by default.
  const started = await startTestApp({ TANDEM_JOBS_WORKER: 'false' });
  live = started.app;
  stop = started.stop;
  scratch = await mkdtemp(path.join(os.tmpdir(), 'tandem-desk-cli-'));
}, 240_000);

afterAll(async () => {
  await stop?.();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('npm run test:desk', () => {
  it('prints failing cases and a summary, ends with the JSON line, scores as the admin page does, and fails below --min', async () => {
    await importCases(live.database.db, await readFile(suite, 'utf8'), { replace: true });
    const [cli, page] = await Promise.all([
      testDesk([suite, '--json', '--min', '1']),
      startRun(live, { startedBy: { name: 'Ada Admin' } }).then(({ finished }) => finished),
    ]);
    const lines = cli.stdout.trimEnd().split('\n');
    const json = JSON.parse(lines.at(-1)!);
    const summary = page.summary!;
    expect(json).toEqual({
      n: summary.n,
      passed: summary.passed,
      by_kind: Object.fromEntries(
        Object.entries(summary.byKind).map(([kind, { passed, n }]) => [kind, [passed, n]]),
      ),
      pass_k: summary.passK,
      pass_1: summary.pass1,
      flaky: 0,
      k: 1,
      model: 'tandem:offline-extractive',
      outcomes: expect.any(Object),
    });
    // Every attempt's conversation has an outcome, by the dashboard's definitions.
    const outcomes = Object.values(json.outcomes as Record<string, number>);
    expect(outcomes.reduce((sum, count) => sum + count, 0)).toBe(summary.n);
    const failing = page.results.filter((r) => r.status !== 'pass').map((r) => r.case.id);
    expect(failing.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.startsWith('FAIL')).map((l) => l.split(/\s+/)[1])).toEqual(
      failing,
    );
    expect(lines.at(-2)).toMatch(
      new RegExp(
        `^${summary.passed}/${summary.n} cases passed \\(pass\\^1 .*\\) · answer \\d+/\\d+, .* · 0 flaky · tandem:offline-extractive, k=1, demo desk \\(20 articles\\)`,
      ),
    );
    expect(cli.code).toBe(1);
  }, 600_000);

  it('lists every bad line of a suite it cannot read, and explains its usage', async () => {
    const bad = path.join(scratch, 'bad.jsonl');
    await writeFile(bad, '{"id":"a","turns":["hi"],"expect":{"kind":"smalltalk"}}\n{"id":"a"}\n');
    const refused = await testDesk([bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The suite is not valid:');
    expect(refused.stderr).toContain('line 2: turns:');
    expect(refused.stderr).toContain('line 2: expect:');
    expect(refused.stdout).toBe('');

    const usage = await testDesk([bad, '--k', '0']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: npm run test:desk -- FILE\.jsonl/);
  }, 120_000);
});
