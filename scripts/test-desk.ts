// `npm run test:desk -- FILE.jsonl [--json] [--k N] [--min 0.8] [--demo] [--drafts]`
// Runs a suite of desk tests on a throwaway embedded copy of the configured desk's content (a
// fresh demo desk when none is configured, or with --demo), through the same run function as
// the admin page. Prints one line per failing case and a summary; with --json the last line is
// {"n", "passed", "by_kind": {kind: [passed, n]}, "pass_k", "pass_1", "flaky", "k", "model"}.
// Exits 1 when the share of cases passed (all k attempts) is below --min. A case may carry
// "fails_today": "<why>" — a known failure, kept in the suite and counted like any other; the
// report tells marked failures from new ones, and names marked cases that pass now. With
// --drafts each procedure runs as its draft stands, to test it before it is published.
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { OWN_ROUTES } from '@/app/api/own-routes';
import type { DeskTestAttempt, DeskTestSummary } from '@/db/schema';
import { type Config, getConfig, parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { TEST_KINDS } from '@/lib/desk-tests/case';
import { parseCasesJsonl } from '@/lib/desk-tests/jsonl';
import { caseStatus } from '@/lib/desk-tests/score';
import { TandemError } from '@/lib/errors';
import { log } from '@/lib/log';
import { startApp, stopApp } from '@/lib/server/app';
import { MAX_ATTEMPTS, runDeskTests } from '@/lib/server/desk-tests';
import { noWorker } from '@/lib/server/job-handlers';

const usage = `usage: npm run test:desk -- FILE.jsonl [--json] [--k 1-${MAX_ATTEMPTS}] [--min 0-1] [--demo] [--drafts]`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      k: { type: 'string' },
      min: { type: 'string' },
      demo: { type: 'boolean', default: false },
      drafts: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [file] = positionals;
  const k = values.k === undefined ? undefined : Number(values.k);
  const min = values.min === undefined ? 0 : Number(values.min);
  if (
    !file ||
    positionals.length > 1 ||
    (k !== undefined && !(Number.isInteger(k) && k >= 1 && k <= MAX_ATTEMPTS)) ||
    !(min >= 0 && min <= 1)
  ) {
    console.error(usage);
    return 2;
  }
  const cases = parseCasesJsonl(await readFile(file, 'utf8'));

  const config = getConfig();
  // Info lines (the sandbox starting) would bury the report; warnings and errors still show.
  if (config.logLevel === 'info') log.level = 'warn';
  const demo = values.demo || !configuresDesk(config);
  // The configured desk is only read, then closed; PGlite held by a running server says so.
  const live: AppContext | null = demo ? null : await startApp(noWorker(config));
  const started = Date.now();
  try {
    const run = await runDeskTests(live ? { copyOf: live } : { demoWith: config }, cases, {
      k,
      ownRoutes: OWN_ROUTES,
      procedures: values.drafts ? 'drafts' : 'published',
      onProgress: ({ done, total }) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total} cases`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    const known = { failing: 0, fixed: [] as string[] };
    for (const result of run.results) {
      const marked = typeof result.case.fails_today === 'string';
      const line = failureLine(
        result.case.id,
        result.case.expect.kind,
        result.passes,
        result.attempts,
        marked,
      );
      if (line) console.log(line);
      if (marked && line) known.failing++;
      if (marked && !line) known.fixed.push(result.case.id);
    }
    const failing = run.summary.n - run.summary.passed;
    console.log(
      `${failing} failing: ${known.failing} marked as failing today, ${failing - known.failing} not marked` +
        (known.fixed.length ? `; marked but passing now: ${known.fixed.join(', ')}` : ''),
    );
    console.log(
      `outcomes of the ${run.outcomes.conversations} conversations (lib/analytics/outcomes.ts): ${Object.entries(
        run.outcomes.outcomes,
      )
        .map(([outcome, count]) => `${outcome} ${count}`)
        .join(', ')}`,
    );
    const seconds = Math.round((Date.now() - started) / 1000);
    const desk = run.content.source === 'demo' ? 'demo desk' : 'configured desk';
    console.log(
      `${summaryLine(run.summary, run.k)} · ${run.model}, k=${run.k}, ${desk} (${run.content.documents} articles) · ${seconds} s`,
    );
    if (values.json) {
      console.log(
        JSON.stringify(jsonSummary(run.summary, run.k, run.model, run.outcomes.outcomes)),
      );
    }
    return run.summary.passK < min ? 1 : 0;
  } finally {
    if (live) await stopApp(live);
  }
}

/** A desk is configured when the database is not the default embedded folder. */
function configuresDesk(config: Config): boolean {
  return !isDeepStrictEqual(config.database, parseConfig({}).database);
}

function failureLine(
  id: string,
  kind: string,
  passes: number,
  attempts: DeskTestAttempt[],
  marked: boolean,
): string | null {
  const status = caseStatus(passes, attempts.length);
  if (status === 'pass') return null;
  const failed = attempts.find((a) => !a.passed)!;
  const why = failed.failures.map((f) => `${f.code}: ${f.message}`).join('; ');
  const label = `${status === 'flaky' ? `FLAKY ${passes}/${attempts.length}` : 'FAIL'}${marked ? ' (known)' : ''}`;
  return `${label}  ${id} [${kind}]  ${why} — "${excerpt(failed.reply)}"`;
}

function excerpt(text: string, length = 100): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

const kindsIn = (summary: DeskTestSummary) => [
  ...TEST_KINDS.filter((kind) => summary.byKind[kind]),
  ...Object.keys(summary.byKind).filter(
    (kind) => !(TEST_KINDS as readonly string[]).includes(kind),
  ),
];

function summaryLine(summary: DeskTestSummary, k: number): string {
  const kinds = kindsIn(summary)
    .map((kind) => `${kind} ${summary.byKind[kind]!.passed}/${summary.byKind[kind]!.n}`)
    .join(', ');
  return [
    `${summary.passed}/${summary.n} cases passed (pass^${k} ${summary.passK.toFixed(3)}, pass@1 ${summary.pass1.toFixed(3)})`,
    kinds,
    `${summary.flaky} flaky`,
  ].join(' · ');
}

function jsonSummary(
  summary: DeskTestSummary,
  k: number,
  model: string,
  outcomes: Record<string, number>,
) {
  return {
    n: summary.n,
    passed: summary.passed,
    by_kind: Object.fromEntries(
      kindsIn(summary).map((kind) => [
        kind,
        [summary.byKind[kind]!.passed, summary.byKind[kind]!.n],
      ]),
    ),
    pass_k: summary.passK,
    pass_1: summary.pass1,
    flaky: summary.flaky,
    outcomes,
    k,
    model,
  };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bad suite lists each bad line; a data folder held by a running server names the folder.
    if (
      error instanceof TandemError &&
      Array.isArray((error.details as { fields?: unknown })?.fields)
    ) {
      const { fields } = error.details as { fields: { field: string; message: string }[] };
      console.error('The suite is not valid:');
      for (const f of fields) console.error(`  ${f.field}: ${f.message}`);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    process.exitCode = 1;
  },
);
