import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeGaps } from '@/db/schema';
import { seedDemoHistory } from '@/db/seed/demo-history';
import {
  clusterQuestions,
  type GapTopic,
  knowledgeGapTopics,
} from '@/lib/analytics/knowledge-insights';
import { parseDateRange } from '@/lib/analytics/range';
import { asksForPerson } from '@/lib/classify/person-request';
import type { AppContext } from '@/lib/context';
import { recordKnowledgeGap } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { ingestFile } from '@/lib/kb/ingest';
import { getAssistantIdentity } from '@/lib/settings/settings';
import { smallTalkReply } from '@/lib/turn/small-talk';
import { askTurn } from '@/tests/harness/customer-turn';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let isSmallTalk: (question: string) => boolean;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  const identity = await getAssistantIdentity(app.database.db);
  isSmallTalk = (question) => smallTalkReply(question, 'en', identity) !== null;
});
afterAll(() => stop());

const lastMonth = () => parseDateRange({ days: '30' });
const gapsNow = () => knowledgeGapTopics(app, lastMonth(), { isSmallTalk });
const listed = (topics: GapTopic[]) => topics.flatMap((t) => t.examples);
const topicOf = (topics: GapTopic[], question: string) =>
  topics.find((t) => t.examples.includes(question));

/** A customer asks, and the turn runs to its end (stored answer, recorded gap). */
async function ask(text: string) {
  const customer = await createAnonymousCustomer(app.database.db);
  const turn = await askTurn(app, { customer, text });
  const reader = turn.stream.getReader();
  while (!(await reader.read()).done) {}
  return turn;
}

async function recordedGap(conversationId: string) {
  return app.database.db
    .select({ question: knowledgeGaps.question })
    .from(knowledgeGaps)
    .where(eq(knowledgeGaps.conversationId, conversationId));
}

describe('content gaps', () => {
  it('stops listing a question once the knowledge base answers it, in any language', async () => {
    const stores = '你们在槟城有实体店吗？';
    const swallow = 'What is the airspeed velocity of an unladen swallow?';
    for (const question of [stores, swallow]) {
      const turn = await ask(question);
      expect(await recordedGap(turn.conversationId)).toEqual([{ question }]);
    }
    // Recorded by an earlier version of the desk, which had no Chinese password article then.
    const password = '怎么修改密码？';
    const old = await ask(password);
    await recordKnowledgeGap(app.database.db, {
      conversationId: old.conversationId,
      messageId: old.customerMessageId,
      question: password,
      reason: 'abstained',
      language: 'zh',
    });

    const before = await gapsNow();
    expect(listed(before.topics)).toEqual(expect.arrayContaining([stores, swallow]));
    expect(listed(before.topics)).not.toContain(password);
    // Whole Chinese words the customer wrote, not character pairs ("实体店" cut as "实体 · 店").
    expect(topicOf(before.topics, stores)!.label.split(' · ').sort()).toEqual(['实体', '槟城']);

    // The missing article is written, in Chinese.
    await ingestFile(app.kb, {
      filename: 'zh-our-stores.md',
      mediaType: 'text/markdown',
      bytes: new TextEncoder().encode(
        '---\ntitle: 我们的实体店\nslug: zh-our-stores\nlanguage: zh\n---\n\n' +
          'Parcelly 只在网上销售，在槟城、吉隆坡和新加坡都没有实体店或门店。' +
          '您可以在网站或应用中下单，我们会送货上门。\n',
      ),
    });
    const after = await gapsNow();
    expect(listed(after.topics)).not.toContain(stores);
    expect(listed(after.topics)).toContain(swallow);
    expect(after.excluded.answeredNow).toBe(before.excluded.answeredNow + 1);
  });

  it('leaves out greetings and requests for a person from a real history of gaps', async () => {
    await seedDemoHistory(app.database.db, { conversations: 300, days: 30, seed: 7 });
    const recorded = await app.database.db.select().from(knowledgeGaps);
    // The history holds both, as the issue saw it ("hey", "请转人工").
    const smallTalk = recorded.filter((g) => isSmallTalk(g.question));
    const forPerson = recorded.filter((g) => !isSmallTalk(g.question) && asksForPerson(g.question));
    expect(smallTalk.length).toBeGreaterThan(0);
    expect(forPerson.length).toBeGreaterThan(0);

    const { topics, excluded } = await gapsNow();
    expect(excluded.smallTalk).toBe(smallTalk.length);
    expect(excluded.personRequests).toBe(forPerson.length);
    const questions = topics.flatMap((t) => t.examples);
    expect(questions.filter(isSmallTalk)).toEqual([]);
    expect(questions.filter(asksForPerson)).toEqual([]);
    // Every recorded gap is either counted in a topic or left out for one of the reasons.
    const counted = topics.reduce((sum, t) => sum + t.count, 0);
    expect(counted + excluded.smallTalk + excluded.personRequests + excluded.answeredNow).toBe(
      recorded.length,
    );
  });
});

describe('gap topics', () => {
  const gap = (question: string) => ({ question, reason: 'abstained' as const, category: null });

  it('groups questions by what they ask, in either language, and keeps unrelated ones apart', async () => {
    const topics = await clusterQuestions(
      [
        'Can I pay with cryptocurrency?',
        'Do you accept bitcoin or other cryptocurrency?',
        'cryptocurrency payment possible?',
        'Do you ship to Antarctica?',
        'Is shipping to Antarctica available?',
        'Do you have a store in Penang?',
        'Is there a physical shop in Kuala Lumpur?',
        'How do I cancel my subscription?',
        'Why was my card charged twice?',
        'What is the airspeed velocity of an unladen swallow?',
        '可以用比特币付款吗？',
        '你们支持比特币支付吗？',
        '怎么修改密码？',
        '密码怎么修改',
        '我的包裹什么时候到？',
      ].map(gap),
      app.kb.embedder,
    );
    const groups = topics.map((t) => [...t.examples].sort());
    expect(groups).toEqual(
      expect.arrayContaining([
        [
          'Can I pay with cryptocurrency?',
          'Do you accept bitcoin or other cryptocurrency?',
          'cryptocurrency payment possible?',
        ],
        ['Do you ship to Antarctica?', 'Is shipping to Antarctica available?'],
        ['Do you have a store in Penang?', 'Is there a physical shop in Kuala Lumpur?'],
        ['你们支持比特币支付吗？', '可以用比特币付款吗？'],
        ['密码怎么修改', '怎么修改密码？'],
        // Payment questions of another kind are not about cryptocurrency.
        ['How do I cancel my subscription?'],
        ['Why was my card charged twice?'],
        ['What is the airspeed velocity of an unladen swallow?'],
        ['我的包裹什么时候到？'],
      ]),
    );
    expect(groups).toHaveLength(9);

    // Labelled with words the customers used, in their language.
    const label = (question: string) => topicOf(topics, question)!.label.split(' · ');
    expect(label('Can I pay with cryptocurrency?')[0]).toBe('cryptocurrency');
    expect(label('可以用比特币付款吗？')).toContain('比特币');
    for (const word of label('可以用比特币付款吗？')) {
      expect(['比特币', '付款', '支付', '支持']).toContain(word);
    }
    expect(label('我的包裹什么时候到？')).toEqual(['包裹']);
  });
});
