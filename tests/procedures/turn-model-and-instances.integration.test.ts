import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procedureRuns } from '@/db/schema';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { startApp, stopApp } from '@/lib/server/app';
import { customer, say, startActionsDesk } from '../actions/runtime-harness';
import { serveDemoShop } from '../demo-shop/serve-demo-shop';
import { serveRoutesFrom } from '../harness/app';
import { FAKE_CLASSIFICATION } from '../harness/fake-openai';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

const systemOf = (options: LanguageModelV4CallOptions) =>
  options.prompt.find((m) => m.role === 'system')?.content ?? '';

/**
 * A model (ai/test) that classifies every message plainly and routes to a procedure only when
 * `route` says so; an answer it is asked to write is `answer`.
 */
function routingModel(route: (message: string) => string, answer = '') {
  const routed: string[] = [];
  const model = new MockLanguageModelV4({
    doStream: textStream(answer),
    doGenerate: async (options) => {
      const system = String(systemOf(options));
      const user = JSON.stringify(options.prompt.filter((m) => m.role === 'user'));
      let answer: object = FAKE_CLASSIFICATION;
      if (system.startsWith('You route a customer-support message to a procedure')) {
        routed.push(user);
        answer = { procedure: route(user) };
      }
      return {
        content: [{ type: 'text', text: JSON.stringify(answer) }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage,
        warnings: [],
      };
    },
  });
  return { model, routed };
}

describe('the returns procedure with a model', () => {
  let desk: Awaited<ReturnType<typeof startActionsDesk>>;
  let app: AppContext;

  beforeAll(async () => {
    desk = await startActionsDesk();
    // As a desk with OPENAI_API_KEY is configured: classification and routing go to the model.
    const { model: _, ...rest } = desk.app.config;
    app = {
      ...desk.app,
      config: { ...rest, model: { provider: 'openai', apiKey: 'k', model: 'mock' } },
    } as AppContext;
  });
  afterAll(() => desk.stop());

  it('starts the procedure the model chooses, and the runtime still drives its steps', async () => {
    // Words the examples would not catch: only the model's choice starts it.
    const { model, routed } = routingModel((user) =>
      user.includes("doesn't fit") ? 'start_a_return' : 'none',
    );
    const withModel = { ...app, model };
    const alice = await customer(app, 'demo-alice');
    const first = await say(
      withModel,
      alice,
      "The jacket from my last order doesn't fit, can it go back to you?",
    );
    expect(routed).toHaveLength(1);
    expect(routed[0]).toContain("doesn't fit");
    expect(first.text).toBe(
      'Which order would you like to return? Its number starts with #PC, for example #PC104962.',
    );
    // Validation is the runtime's: a wrong number is asked again, whatever a model would make of it.
    const wrong = await say(withModel, alice, 'It is order 4962', first.conversationId);
    expect(wrong.text).toMatch(/^I couldn't find an order number in that\./);
    const right = await say(withModel, alice, '#PC104962', first.conversationId);
    expect(right.tools).toEqual(['order_status']);
    expect(right.text).toMatch(/Why is it going back\?/);
    // While a procedure is in progress the model is not asked to route again.
    expect(routed).toHaveLength(1);
    const third = await say(withModel, alice, 'not as described', first.conversationId);
    expect(third.confirmations.map((c) => c.summary)).toEqual([
      'Start a return (order number: #PC104962, reason: not as described)',
    ]);
  });

  it('answers with the help center when the model routes to no procedure', async () => {
    const { model, routed } = routingModel(() => 'none', 'Returns are free within 30 days.');
    const alice = await customer(app, 'demo-alice');
    const asked = await say({ ...app, model }, alice, 'I want to return my order');
    expect(routed).toHaveLength(1);
    expect(asked.text).toBe('Returns are free within 30 days.');
    const runs = await app.database.db
      .select()
      .from(procedureRuns)
      .where(eq(procedureRuns.conversationId, asked.conversationId));
    expect(runs).toEqual([]);
  });
});

function textStream(text: string) {
  return async (): Promise<{ stream: ReadableStream<LanguageModelV4StreamPart> }> => ({
    stream: new ReadableStream({
      start(controller) {
        const parts: LanguageModelV4StreamPart[] = [
          { type: 'stream-start', warnings: [] },
          { type: 'text-start', id: 't' },
          { type: 'text-delta', id: 't', delta: text },
          { type: 'text-end', id: 't' },
          { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
        ];
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    }),
  });
}

describe.skipIf(!testEnv.databaseUrl)('a procedure across two app instances (PostgreSQL)', () => {
  let database: TestDatabase;
  let shop: Awaited<ReturnType<typeof serveDemoShop>>;
  let one: AppContext;
  let two: AppContext;

  beforeAll(async () => {
    database = await createTestDatabase(testEnv.databaseUrl!);
    shop = await serveDemoShop();
    const config = () =>
      parseConfig({
        DATABASE_URL: database.url,
        TANDEM_DEMO: 'true',
        LOG_LEVEL: 'silent',
        TANDEM_CONSENT_REQUIRED: 'false',
        TANDEM_JOBS_WORKER: 'false',
        NEXTAUTH_URL: shop.url,
        TANDEM_ACTIONS_ALLOWED_HOSTS: '127.0.0.1',
      });
    one = await startApp(config());
    two = await startApp(config());
    serveRoutesFrom(Promise.resolve(one));
  }, 120_000);
  afterAll(async () => {
    if (two) await stopApp(two);
    if (one) await stopApp(one);
    await shop?.close();
    await database?.drop();
  });

  it('carries each turn on from the state the other instance stored', async () => {
    const alice = await customer(one, 'demo-alice');
    const first = await say(one, alice, 'I want to return my order');
    expect(first.text).toMatch(/^Which order would you like to return\?/);
    const second = await say(two, alice, 'PC104962 please', first.conversationId);
    expect(second.tools).toEqual(['order_status']);
    expect(second.text).toMatch(/Why is it going back\?/);
    const third = await say(one, alice, 'I no longer need it', first.conversationId);
    expect(third.confirmations.map((c) => c.summary)).toEqual([
      'Start a return (order number: PC104962, reason: no longer needed)',
    ]);
    const [run] = await two.database.db
      .select()
      .from(procedureRuns)
      .where(eq(procedureRuns.conversationId, first.conversationId));
    expect(run).toMatchObject({ status: 'active', stepId: 'start-return', waiting: 'action' });
    expect(run!.values).toMatchObject({ order_number: 'PC104962', reason: 'no longer needed' });
  });
});
