import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '@/lib/context';
import { importCases } from '@/lib/desk-tests/cases';
import { startRun } from '@/lib/server/desk-tests';
import { startTestApp } from '../harness/app';
import {
  FAKE_CLASSIFICATION,
  type FakeOpenAIOptions,
  startFakeOpenAI,
} from '../harness/fake-openai';

const CITED = ['Standard delivery in Singapore takes ', '2–4 business days [1].'];
const UNSURE = ["I'm not sure how long that takes."];

/** The fake model's answers, changed per request: the delivery question alternates. */
const model: FakeOpenAIOptions = { classification: FAKE_CLASSIFICATION, answer: CITED };
let deliveryAnswers = 0;
model.onRequest = ({ body }) => {
  if (!body?.stream) return;
  const asked = JSON.stringify(body.messages);
  if (asked.includes('standard delivery')) {
    model.answer = deliveryAnswers++ % 2 === 0 ? CITED : UNSURE;
  } else {
    model.answer = ['Our help center does not say; I can connect you with the team.'];
  }
};

let server: Server;
let live: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  server = await startFakeOpenAI(model);
  const { port } = server.address() as { port: number };
  const started = await startTestApp({
    OPENAI_API_KEY: 'test-key',
    OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
    OPENAI_MODEL: 'fake-model',
    TANDEM_JOBS_WORKER: 'false',
  });
  live = started.app;
  stop = started.stop;
  await importCases(
    live.database.db,
    [
      {
        id: 'delivery',
        turns: ['How long does standard delivery take in Singapore?'],
        expect: {
          kind: 'answer',
          article: 'shipping-options-and-delivery-times',
          facts: ['business days'],
        },
      },
      { id: 'hello', turns: ['hi there'], expect: { kind: 'smalltalk' } },
    ]
      .map((c) => JSON.stringify(c))
      .join('\n'),
  );
}, 240_000);

afterAll(async () => {
  await stop?.();
  await new Promise((resolve) => server?.close(resolve));
});

describe('desk tests with a sampling model', () => {
  it('runs each case three times, passing a case only when all attempts pass, and shows disagreement as flaky', async () => {
    const { run, finished } = await startRun(live, { startedBy: { name: 'Ada Admin' } });
    expect(run).toMatchObject({ k: 3, model: 'openai.chat:fake-model' });
    const done = await finished;
    expect(done.status).toBe('completed');
    const [delivery, hello] = done.results;
    expect(delivery!.attempts.map((a) => a.passed)).toEqual([true, false, true]);
    expect(delivery!.status).toBe('flaky');
    expect(delivery!.attempts[0]!.citations[0]!.slug).toBe('shipping-options-and-delivery-times');
    expect(delivery!.attempts[1]!.failures.map((f) => f.code)).toEqual([
      'abstained',
      'missing_citation',
      'missing_fact',
    ]);
    expect(hello!.status).toBe('pass');
    expect(hello!.attempts).toHaveLength(3);
    expect(deliveryAnswers).toBe(3);
    expect(done.summary).toEqual({
      n: 2,
      passed: 1,
      passK: 0.5,
      pass1: Number(((2 / 3 + 1) / 2).toFixed(4)),
      flaky: 1,
      byKind: { answer: { passed: 0, n: 1 }, smalltalk: { passed: 1, n: 1 } },
    });
  }, 300_000);
});
