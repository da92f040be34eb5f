import type { LanguageModel } from 'ai';
import type { DeskContentVersion } from '@/db/schema';
import type { Config } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { findCustomer } from '@/lib/customers/queries';
import { type DeskTestCase, NEW_CUSTOMER } from '@/lib/desk-tests/case';
import { getCases } from '@/lib/desk-tests/cases';
import type { TurnRecord } from '@/lib/desk-tests/check';
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
import { openSandbox, type Sandbox, type SandboxSource } from './sandbox';

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
  const sandbox = await openSandbox(source, { siteUsers: siteUsersOf(cases) });
  try {
    await options.onSandbox?.(sandbox.content);
    const { results, summary } = await runSuite(sandboxDesk(sandbox), cases, {
      k,
      concurrency: options.concurrency ?? defaultConcurrency(config),
      onProgress: options.onProgress,
      onResult: options.onResult,
    });
    return { results, summary, k, model: modelName(sandbox.app.model), content: sandbox.content };
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

// On globalThis because Next loads route bundles separately: one run at a time per process,
// since each run holds a whole sandbox desk in memory.
const holder = globalThis as typeof globalThis & { __tandemDeskTestRun?: string };

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
  },
): Promise<{ run: DeskTestRun; finished: Promise<Awaited<ReturnType<typeof getRun>>> }> {
  if (holder.__tandemDeskTestRun) {
    throw new TandemError(
      'conflict:desk_test_run',
      'A test run is already in progress; wait for it to finish.',
      { runId: holder.__tandemDeskTestRun },
    );
  }
  holder.__tandemDeskTestRun = 'starting';
  const { db } = app.database;
  try {
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
    const finished = (async () => {
      try {
        const { summary } = await runDeskTests({ copyOf: app }, cases, {
          k,
          onSandbox: (content) => recordRunDesk(db, runId, content),
          onResult: (result, position) => recordResult(db, runId, result, position),
          onProgress: input.onProgress,
        });
        await finishRun(db, runId, summary);
      } catch (error) {
        log.error({ err: error, runId }, 'desk test run failed');
        await failRun(db, runId, error instanceof Error ? error.message : String(error));
      } finally {
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
