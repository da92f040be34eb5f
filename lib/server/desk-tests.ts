import type { LanguageModel } from 'ai';
import type { DeskContentVersion } from '@/db/schema';
import { settledOutcomes } from '@/lib/analytics/outcomes';
import type { Config } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { findCustomer } from '@/lib/customers/queries';
import { type DeskTestCase, NEW_CUSTOMER } from '@/lib/desk-tests/case';
import { getCases } from '@/lib/desk-tests/cases';
import type { TurnRecord } from '@/lib/desk-tests/check';
import { readDeskVersion } from '@/lib/desk-tests/desk-version';
import {
  applyKbDraft,
  type CheckedKbDraft,
  checkKbDraft,
  compareKbResults,
  type KbDraft,
  type KbPreview,
} from '@/lib/desk-tests/kb-preview';
import { beatRun, failInterruptedRuns, HEARTBEAT_MS } from '@/lib/desk-tests/run-lease';
import {
  type CaseResult,
  runSuite,
  type SuiteProgress,
  type TestDesk,
} from '@/lib/desk-tests/run-suite';
import {
  createRun,
  type DeskTestRun,
  failRun,
  finishRun,
  getRun,
  recordResult,
  recordRunDesk,
  type StartedBy,
} from '@/lib/desk-tests/runs';
import { TandemError } from '@/lib/errors';
import { log } from '@/lib/log';
import { runTurn } from '@/lib/turn/turn';
import type { TurnEvent } from '@/lib/turn/turn-events';
import type { OwnRoute } from './own-routes';
import { openSandbox, type Sandbox, type SandboxOptions, type SandboxSource } from './sandbox';

export const MAX_ATTEMPTS = 10;

/**
 * Attempts per case: one with the offline model, which answers a question the same way every
 * time, so more would only repeat it; three with a sampling model, where one run proves little.
 */
export const defaultAttempts = (config: Config) => (config.model.provider === 'offline' ? 1 : 3);

/** Cases at once: the offline model works on this process's CPU; a model server waits on the network. */
const defaultConcurrency = (config: Config) => (config.model.provider === 'offline' ? 1 : 4);

/** How a run names its model: `provider:model`. */
export function modelName(model: LanguageModel): string {
  return typeof model === 'string' ? model : `${model.provider}:${model.modelId}`;
}

export interface DeskTestOptions {
  /** Attempts per case; see {@link defaultAttempts}. */
  k?: number;
  concurrency?: number;
  onProgress?: (progress: SuiteProgress) => void;
  onResult?: (result: CaseResult, position: number) => Promise<void>;
  /** Told what the sandbox holds once it has started, before the first case. */
  onSandbox?: (content: DeskContentVersion) => Promise<void>;
  /** The desk's own routes its actions may call, answered in the sandbox (see SandboxOptions). */
  ownRoutes?: readonly OwnRoute[];
  /** Which version of each procedure runs (see SandboxOptions). */
  procedures?: SandboxOptions['procedures'];
}

/**
 * Runs cases k times each on a sandbox of the source desk, through the real turn, and scores
 * them. The admin page (through {@link startRun}) and `npm run test:desk` both come here, so the
 * same suite on the same content scores the same in both.
 */
export async function runDeskTests(
  source: SandboxSource,
  cases: readonly DeskTestCase[],
  options: DeskTestOptions = {},
) {
  const config = 'copyOf' in source ? source.copyOf.config : source.demoWith;
  const k = checkAttempts(options.k ?? defaultAttempts(config));
  const sandbox = await openSandbox(source, {
    siteUsers: siteUsersOf(cases),
    ownRoutes: options.ownRoutes,
    procedures: options.procedures,
  });
  try {
    await options.onSandbox?.(sandbox.content);
    const { results, summary } = await runSuite(sandboxDesk(sandbox), cases, {
      k,
      concurrency: options.concurrency ?? defaultConcurrency(config),
      onProgress: options.onProgress,
      onResult: options.onResult,
    });
    // Each attempt's conversation, judged as if the customer left after the last turn.
    const outcomes = await settledOutcomes(sandbox.app.database.db);
    return {
      results,
      summary,
      outcomes,
      k,
      model: modelName(sandbox.app.model),
      content: sandbox.content,
    };
  } finally {
    await sandbox.close();
  }
}

/** The sandbox as the suite runner sees it: its customers, and its real turn. */
export function sandboxDesk(sandbox: Sandbox): TestDesk {
  return {
    createCustomer: (who) => sandbox.createCustomer(who),
    runTurn: (input) => recordTurn(sandbox.app, input),
  };
}

/** One turn carried out to its end, as the test sees it: plan, reply, citations, tools, hand-offs. */
async function recordTurn(
  app: AppContext,
  input: { customerId: string; conversationId?: string; text: string },
): Promise<TurnRecord & { conversationId: string }> {
  // Read again each turn, as a widget request would: the previous turn may have changed it.
  const customer = await findCustomer(app.database.db, input.customerId);
  if (!customer) throw new Error(`The test customer ${input.customerId} is gone`);
  const turn = await runTurn(app, {
    customer,
    conversationId: input.conversationId,
    text: input.text,
    channel: 'widget',
  });
  const handOffs: TurnRecord['handOffs'] = [];
  await readEvents(turn.events, (event) => {
    if (event.type === 'hand-off') handOffs.push(event.reason);
  });
  const answer = await turn.answer;
  const metadata = answer?.message.metadata;
  return {
    conversationId: turn.conversationId,
    plan: turn.plan.kind,
    reply: answer?.message.content ?? null,
    citations: (metadata?.citations ?? []).map(({ slug, title, section }) => ({
      slug,
      title,
      section,
    })),
    tools: metadata?.tools ?? [],
    handOffs,
    abstained: answer?.abstained ?? false,
    procedure: metadata?.procedure
      ? { name: metadata.procedure.name, status: metadata.procedure.status }
      : null,
  };
}

async function readEvents(stream: ReadableStream<TurnEvent>, onEvent: (event: TurnEvent) => void) {
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) onEvent(read.value);
}

const siteUsersOf = (cases: readonly DeskTestCase[]) => [
  ...new Set(cases.map((c) => c.customer).filter((who) => who !== NEW_CUSTOMER)),
];

function checkAttempts(k: number): number {
  if (!Number.isInteger(k) || k < 1 || k > MAX_ATTEMPTS) {
    throw new TandemError(
      'bad_request:desk_tests',
      `Attempts per case must be a whole number from 1 to ${MAX_ATTEMPTS}.`,
    );
  }
  return k;
}

// On globalThis because Next loads route bundles separately: one run (or preview of a draft)
// at a time per process, since each holds a whole sandbox desk in memory.
const holder = globalThis as typeof globalThis & { __tandemDeskTestRun?: string };

/** What holds the slot while the tests run on a knowledge-base draft; otherwise a run's id. */
const PREVIEW_SLOT = 'kb-preview';

function claimRunSlot(claim: string) {
  const held = holder.__tandemDeskTestRun;
  if (held === PREVIEW_SLOT) {
    throw new TandemError(
      'conflict:desk_test_run',
      'The tests are running on a knowledge-base draft; wait for them to finish.',
    );
  }
  if (held) {
    throw new TandemError(
      'conflict:desk_test_run',
      'A test run is already in progress; wait for it to finish.',
      { runId: held },
    );
  }
  holder.__tandemDeskTestRun = claim;
}

/**
 * Starts a run of the desk's cases (all, or those named) on a sandbox copy of the live desk and
 * returns at once with the stored run; results and progress are stored as each case finishes
 * (getRun reads them), and `finished` settles with the whole run. The run is recorded with who
 * started it, the model, k and the content's fingerprints; a run that cannot go on is marked
 * failed with the reason.
 */
export async function startRun(
  app: AppContext,
  input: {
    startedBy: StartedBy;
    caseIds?: readonly string[];
    k?: number;
    onProgress?: (progress: SuiteProgress) => void;
    ownRoutes?: readonly OwnRoute[];
    procedures?: SandboxOptions['procedures'];
  },
): Promise<{ run: DeskTestRun; finished: Promise<Awaited<ReturnType<typeof getRun>>> }> {
  claimRunSlot('starting');
  const { db } = app.database;
  try {
    // This process runs none now, so on an embedded database any run left `running` is dead.
    await failInterruptedRuns(db, { exclusive: app.config.database.driver === 'pglite' });
    const k = checkAttempts(input.k ?? defaultAttempts(app.config));
    const cases = await getCases(db, input.caseIds);
    if (cases.length === 0) {
      throw new TandemError('bad_request:desk_tests', 'There are no test cases to run.');
    }
    const run = await createRun(db, {
      startedBy: input.startedBy,
      model: modelName(app.model),
      k,
      total: cases.length,
    });
    holder.__tandemDeskTestRun = run.id;
    const runId = run.id;
    const heartbeat = setInterval(() => {
      beatRun(db, runId).catch((error: unknown) =>
        log.warn({ err: error, runId }, 'could not renew a test run’s heartbeat'),
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const finished = (async () => {
      try {
        const { summary, outcomes } = await runDeskTests({ copyOf: app }, cases, {
          k,
          onSandbox: (content) => recordRunDesk(db, runId, content),
          onResult: (result, position) => recordResult(db, runId, result, position),
          onProgress: input.onProgress,
          ownRoutes: input.ownRoutes,
          procedures: input.procedures,
        });
        await finishRun(db, runId, { summary, outcomes });
      } catch (error) {
        log.error({ err: error, runId }, 'desk test run failed');
        await failRun(db, runId, error instanceof Error ? error.message : String(error));
      } finally {
        clearInterval(heartbeat);
        holder.__tandemDeskTestRun = undefined;
      }
      return getRun(db, runId);
    })();
    // A caller who only polls getRun need not await it; a failure is already stored and logged.
    finished.catch(() => {});
    return { run, finished };
  } catch (error) {
    holder.__tandemDeskTestRun = undefined;
    throw error;
  }
}

export interface KbPreviewProgress extends SuiteProgress {
  /** Starting the sandbox, then the cases on the live knowledge base, then with the draft. */
  stage: 'starting' | 'live' | 'draft';
}

/**
 * Prepares to run the desk's cases on a knowledge-base draft without publishing it: checks the
 * draft against the live desk (its document exists, its article reads) and that there are cases,
 * so those errors come back before anything runs, and holds the process's run slot until `run`
 * ends. `run` copies the live desk into one sandbox, runs every case there, makes the change in
 * the sandbox, runs them again and compares: same code, model and moment on both sides, so what
 * differs is the draft's doing. Nothing is stored; the live knowledge base is only read.
 */
export async function openKbPreview(
  app: AppContext,
  draft: KbDraft,
  options: { k?: number } = {},
): Promise<{
  cases: number;
  /** Call it once: the slot is released when it ends, however it ends. */
  run(onProgress?: (progress: KbPreviewProgress) => void, signal?: AbortSignal): Promise<KbPreview>;
}> {
  claimRunSlot(PREVIEW_SLOT);
  const release = () => {
    holder.__tandemDeskTestRun = undefined;
  };
  try {
    const k = checkAttempts(options.k ?? defaultAttempts(app.config));
    const checked = await checkKbDraft(app, draft);
    const cases = await getCases(app.database.db);
    if (cases.length === 0) {
      throw new TandemError(
        'bad_request:desk_tests',
        'There are no test cases to run: add some on the Tests page first.',
      );
    }
    return {
      cases: cases.length,
      run: (onProgress, signal) =>
        previewKbDraft(app, checked, cases, { k, onProgress, signal }).finally(release),
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function previewKbDraft(
  app: AppContext,
  checked: CheckedKbDraft,
  cases: readonly DeskTestCase[],
  options: {
    k: number;
    onProgress?: (progress: KbPreviewProgress) => void;
    signal?: AbortSignal;
  },
): Promise<KbPreview> {
  const started = performance.now();
  const { k, onProgress, signal } = options;
  onProgress?.({ stage: 'starting', done: 0, total: cases.length });
  const sandbox = await openSandbox({ copyOf: app }, { siteUsers: siteUsersOf(cases) });
  try {
    const desk = stopsWhenAborted(sandboxDesk(sandbox), signal);
    const runOn = (stage: KbPreviewProgress['stage']) =>
      runSuite(desk, cases, {
        k,
        concurrency: defaultConcurrency(app.config),
        onProgress: (progress) => onProgress?.({ stage, ...progress }),
      });
    const live = await runOn('live');
    signal?.throwIfAborted();
    await applyKbDraft(sandbox.app, checked);
    const draftContent = await readDeskVersion(sandbox.app.database.db, 'copy');
    const drafted = await runOn('draft');
    signal?.throwIfAborted();
    const { breaks, fixes, stillFailing } = compareKbResults(live.results, drafted.results);
    return {
      change: { action: checked.draft.action, ...checked.document },
      breaks,
      fixes,
      summary: {
        n: cases.length,
        k,
        model: modelName(sandbox.app.model),
        live: live.summary,
        draft: drafted.summary,
        stillFailing,
        content: { live: sandbox.content, draft: draftContent },
        ms: Math.round(performance.now() - started),
      },
    };
  } finally {
    await sandbox.close();
  }
}

/** Once the admin has gone, every turn left fails at once instead of running for no one. */
function stopsWhenAborted(desk: TestDesk, signal?: AbortSignal): TestDesk {
  if (!signal) return desk;
  return {
    createCustomer: (who) => {
      signal.throwIfAborted();
      return desk.createCustomer(who);
    },
    runTurn: (input) => {
      signal.throwIfAborted();
      return desk.runTurn(input);
    },
  };
}
