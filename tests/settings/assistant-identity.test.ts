import { readFileSync } from 'node:fs';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/client';
import { conversations, messages } from '@/db/schema';
import { demoWidgetSettingsFile, seedDatabase } from '@/db/seed';
import { createOfflineModel } from '@/lib/ai/offline/offline-model';
import { answerInstructions } from '@/lib/ai/prompts';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { suggestReply } from '@/lib/conversations/suggest-reply';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { tryQuestion } from '@/lib/kb/try-question';
import { type AssistantIdentity, DEFAULT_WIDGET_SETTINGS } from '@/lib/settings/schema';
import {
  getAssistantIdentity,
  getWidgetSettings,
  resetWidgetSettings,
  saveWidgetSettings,
} from '@/lib/settings/settings';
import { smallTalkReply } from '@/lib/turn/small-talk';
import { passage } from '../fixtures/passage';
import { createTempDataDir, type TempDataDir } from '../harness/postgres';

const demo = JSON.parse(readFileSync(demoWidgetSettingsFile, 'utf8')) as {
  name: string;
  businessName: string;
  greeting: string;
};
const LANGUAGES = ['en', 'zh', 'ms'];

/** Everything the customer or the model reads in the assistant's voice, for this identity. */
function wordsOf(identity: AssistantIdentity): string[] {
  return [
    answerInstructions(identity, []),
    ...LANGUAGES.map((language) => smallTalkReply('hello', language, identity)!),
  ];
}

let dir: TempDataDir;
let handle: DatabaseHandle;

beforeAll(async () => {
  dir = await createTempDataDir();
  handle = await openDatabase({ driver: 'pglite', dataDir: dir.dir });
  await handle.migrate();
});
afterAll(async () => {
  await handle.close();
  await dir.cleanup();
});

/** The identity the settings give, and how the instructions and a greeting introduce it. */
async function expectIdentity(
  expected: AssistantIdentity,
  introduction: string,
  [language, greeting]: [string, string],
): Promise<AssistantIdentity> {
  const identity = await getAssistantIdentity(handle.db);
  expect(identity).toEqual(expected);
  expect(answerInstructions(identity, []).split('\n')[0]).toBe(introduction);
  expect(smallTalkReply('hello', language, identity)).toBe(greeting);
  return identity;
}

describe('the assistant’s identity', () => {
  it('names no business on a deployment that has not seeded the demo', async () => {
    expect(await getWidgetSettings(handle.db)).toEqual(DEFAULT_WIDGET_SETTINGS);
    const identity = await expectIdentity(
      { assistantName: 'Support Assistant' },
      'You are Support Assistant, a customer-support assistant.',
      ['en', "Hi! I'm Support Assistant. What can I help you with today?"],
    );
    for (const text of [JSON.stringify(DEFAULT_WIDGET_SETTINGS), ...wordsOf(identity)]) {
      expect(text).not.toContain(demo.businessName);
      expect(text).not.toMatch(/undefined|null/);
    }
  });

  it('is the demo shop’s once the demo help center is seeded', async () => {
    await seedDatabase(handle.db, {
      admin: { email: 'admin@tandem.test', password: 'admin-password-1' },
      agent: { email: 'agent@tandem.test', password: 'agent-password-1' },
    });
    expect(await getWidgetSettings(handle.db)).toMatchObject({
      name: 'Parcelly Assistant',
      businessName: 'Parcelly',
      greeting: demo.greeting,
    });
    await expectIdentity(
      { assistantName: 'Parcelly Assistant', businessName: 'Parcelly' },
      'You are Parcelly Assistant, the customer-support assistant of Parcelly.',
      ['en', "Hi! I'm the Parcelly assistant. What can I help you with today?"],
    );
  });

  it('follows the business name an admin saves into the instructions and greetings', async () => {
    const db = handle.db;
    const current = await getWidgetSettings(db);
    await saveWidgetSettings(db, { ...current, name: 'Kettle Helper', businessName: ' Kettle ' });
    const kettle = await expectIdentity(
      { assistantName: 'Kettle Helper', businessName: 'Kettle' },
      'You are Kettle Helper, the customer-support assistant of Kettle.',
      ['zh', '您好！我是 Kettle 的智能助手，请问有什么可以帮您？'],
    );
    for (const text of wordsOf(kettle)) {
      expect(text).toContain('Kettle');
      expect(text).not.toContain('Parcelly');
    }

    // A blank business name is no business name.
    await saveWidgetSettings(db, { ...current, name: 'Kettle Helper', businessName: '  ' });
    expect(await getAssistantIdentity(db)).toEqual({ assistantName: 'Kettle Helper' });

    // Restoring the defaults is Tandem's neutral widget, not the demo's.
    await resetWidgetSettings(db);
    expect(await getAssistantIdentity(db)).toEqual({ assistantName: 'Support Assistant' });
  });
});

describe('the admin’s and agents’ drafts speak as the assistant of the settings', () => {
  const refund = passage();

  /** Just what tryQuestion and suggestReply read, with a model that records its instructions. */
  function appWith(model: MockLanguageModelV4): AppContext {
    return {
      config: parseConfig({ LOG_LEVEL: 'silent' }),
      database: handle,
      model,
      kb: { retrieve: async () => ({ passages: [refund], confidence: 1 }) },
    } as unknown as AppContext;
  }
  const offline = createOfflineModel();
  const recording = () =>
    new MockLanguageModelV4({ doGenerate: (options) => offline.doGenerate(options) });
  const instructionsOf = (model: MockLanguageModelV4) =>
    model.doGenerateCalls.map((call) =>
      call.prompt.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n'),
    );

  it('in the knowledge base’s “try a question” and in suggested replies', async () => {
    const db = handle.db;
    const current = await getWidgetSettings(db);
    await saveWidgetSettings(db, { ...current, name: 'Kettle Helper', businessName: 'Kettle' });

    const tried = recording();
    const answer = await tryQuestion(appWith(tried), 'How long do refunds take?');
    expect(answer.answer.abstained).toBe(false);
    expect(instructionsOf(tried)).toEqual([
      expect.stringMatching(/^You are Kettle Helper, the customer-support assistant of Kettle\./),
    ]);

    const customer = await createAnonymousCustomer(db);
    const [conversation] = await db
      .insert(conversations)
      .values({ customerId: customer.id })
      .returning({ id: conversations.id });
    await db.insert(messages).values({
      conversationId: conversation!.id,
      role: 'customer',
      content: 'How long do refunds take?',
    });
    const suggested = recording();
    const draft = await suggestReply(appWith(suggested), conversation!.id);
    expect(draft.sources).toEqual([{ slug: 'refund-policy', title: 'Refund policy' }]);
    expect(instructionsOf(suggested)).toEqual([
      expect.stringMatching(/^You are Kettle Helper, the customer-support assistant of Kettle\./),
    ]);
    await resetWidgetSettings(db);
  });
});
