import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as rateConversation } from '@/app/api/chat/csat/route';
import { POST as rateAnswer } from '@/app/api/chat/feedback/route';
import {
  conversations,
  csatRatings,
  knowledgeGaps,
  messageCitations,
  messageFeedback,
  messages,
} from '@/db/schema';
import { seedDemoHistory } from '@/db/seed/demo-history';
import { customerInsights, searchCustomers } from '@/lib/analytics/customer-insights';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import {
  articleUsefulness,
  clusterQuestions,
  draftArticle,
  EDITOR_NOTE,
  knowledgeGapTopics,
  publishDraftArticle,
} from '@/lib/analytics/knowledge-insights';
import { parseDateRange } from '@/lib/analytics/range';
import type { AppContext } from '@/lib/context';
import { resolve, takeOver } from '@/lib/conversations/handoff';
import { createAnonymousCustomer, findCustomer } from '@/lib/customers/queries';
import { CUSTOMER_COOKIE, createCustomerToken } from '@/lib/customers/session';
import { TandemError } from '@/lib/errors';
import { getAssistantIdentity } from '@/lib/settings/settings';
import { createStaff } from '@/lib/staff/queries';
import { smallTalkReply } from '@/lib/turn/small-talk';
import { askTurn } from '@/tests/harness/customer-turn';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
});
afterAll(() => stop());

async function say(customerId: string, text: string, conversationId?: string) {
  const customer = (await findCustomer(app.database.db, customerId))!;
  const result = await askTurn(app, { customer, conversationId, text });
  const reader = result.stream.getReader();
  while (!(await reader.read()).done) {}
  return result;
}

const today = () => parseDateRange({ days: '7' });

describe('what the pipeline records for insights', () => {
  it('records cited articles, first reply time and unanswered questions as it answers', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const answered = await say(customer.id, 'How do I reset my password?');
    const cited = await app.database.db
      .select()
      .from(messageCitations)
      .where(eq(messageCitations.conversationId, answered.conversationId));
    expect(cited.length).toBeGreaterThan(0);
    const [row] = await app.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, answered.conversationId));
    expect(row!.firstAiReplyAt).toBeInstanceOf(Date);

    const unsure = await say(
      customer.id,
      'What is the airspeed velocity of an unladen swallow?',
      answered.conversationId,
    );
    const gaps = await app.database.db
      .select()
      .from(knowledgeGaps)
      .where(eq(knowledgeGaps.conversationId, unsure.conversationId));
    expect(gaps.map((g) => [g.reason, g.question])).toEqual([
      ['abstained', 'What is the airspeed velocity of an unladen swallow?'],
    ]);

    // Simply asking for a person is not a hole in the knowledge base.
    const other = await createAnonymousCustomer(app.database.db);
    const asked = await say(other.id, 'I want to talk to a person');
    expect(
      await app.database.db
        .select()
        .from(knowledgeGaps)
        .where(eq(knowledgeGaps.conversationId, asked.conversationId)),
    ).toEqual([]);
  });
});

describe('customer feedback in the widget', () => {
  it('takes thumbs on your own AI answers and a rating of your own resolved conversation', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const { conversationId } = await say(customer.id, 'How long do refunds take?');
    const [answer] = await app.database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .then((m) => m.filter((x) => x.role === 'ai'));
    const cookie = `${CUSTOMER_COOKIE}=${createCustomerToken(customer.id, app.secret)}`;
    const post = (handler: (r: Request) => Promise<Response>, body: unknown, withCookie = cookie) =>
      handler(
        new Request('http://localhost/x', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(withCookie ? { cookie: withCookie } : {}),
          },
          body: JSON.stringify(body),
        }),
      );

    expect((await post(rateAnswer, { messageId: answer!.id, helpful: false })).status).toBe(204);
    expect((await post(rateAnswer, { messageId: answer!.id, helpful: true })).status).toBe(204);
    const [vote] = await app.database.db
      .select()
      .from(messageFeedback)
      .where(eq(messageFeedback.messageId, answer!.id));
    expect(vote!.helpful).toBe(true);

    const stranger = await createAnonymousCustomer(app.database.db);
    const strangerCookie = `${CUSTOMER_COOKIE}=${createCustomerToken(stranger.id, app.secret)}`;
    expect(
      (await post(rateAnswer, { messageId: answer!.id, helpful: false }, strangerCookie)).status,
    ).toBe(404);
    expect((await post(rateAnswer, { messageId: answer!.id, helpful: false }, '')).status).toBe(
      401,
    );
    const bad = await post(rateAnswer, { messageId: 'nope', helpful: 'yes' });
    expect(bad.status).toBe(400);

    const early = await post(rateConversation, { conversationId, rating: 5 });
    expect(early.status).toBe(409);
    const agent = await createStaff(app.database.db, {
      email: 'csat-agent@x.test',
      name: 'Rae',
      role: 'agent',
      password: 'password-1',
    });
    await takeOver(app, agent, conversationId);
    await resolve(app, agent, conversationId);
    expect((await post(rateConversation, { conversationId, rating: 6 })).status).toBe(400);
    expect(
      (await post(rateConversation, { conversationId, rating: 4, comment: 'Quick, thanks' }))
        .status,
    ).toBe(204);
    expect(
      (await post(rateConversation, { conversationId, rating: 4 }, strangerCookie)).status,
    ).toBe(404);
    const [rating] = await app.database.db
      .select()
      .from(csatRatings)
      .where(eq(csatRatings.conversationId, conversationId));
    expect(rating).toMatchObject({ rating: 4, comment: 'Quick, thanks', agentId: agent.id });
  });
});

describe('knowledge insights', () => {
  it('groups unanswered questions into topics with their examples', async () => {
    const gap = (
      question: string,
      category: string,
      reason: 'abstained' | 'escalated' = 'abstained',
    ) => ({
      question,
      reason,
      category,
    });
    const topics = await clusterQuestions(
      [
        gap('Can I pay with cryptocurrency?', 'billing'),
        gap('Do you accept bitcoin or other cryptocurrency?', 'billing'),
        gap('cryptocurrency payment possible?', 'billing', 'escalated'),
        gap('Do you ship to Antarctica?', 'orders_shipping'),
        gap('Is shipping to Antarctica available?', 'orders_shipping'),
        gap('How do I cancel my subscription?', 'billing'),
        gap('Do you have a store in Penang?', 'other', 'escalated'),
        gap('Is there a physical shop in Kuala Lumpur?', 'other'),
      ],
      app.kb.embedder,
    );
    const groups = topics.map((t) => [...t.examples].sort());
    expect(groups.map((g) => g.length)).toEqual([3, 2, 2, 1]);
    expect(groups.sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
      [
        'Can I pay with cryptocurrency?',
        'Do you accept bitcoin or other cryptocurrency?',
        'cryptocurrency payment possible?',
      ],
      ['Do you have a store in Penang?', 'Is there a physical shop in Kuala Lumpur?'],
      ['Do you ship to Antarctica?', 'Is shipping to Antarctica available?'],
      ['How do I cancel my subscription?'],
    ]);
    expect(topics[0]).toMatchObject({
      count: 3,
      abstained: 2,
      escalated: 1,
      categories: ['billing'],
    });
    // Labelled in the customers' words, not in stems.
    expect(topics[0]!.label).toContain('cryptocurrency');
    expect(topics[0]!.label).not.toMatch(/\bcryptocurr\b/);
  });

  it('drafts an article from a gap, refuses to publish it unfinished, publishes it finished', async () => {
    const identity = await getAssistantIdentity(app.database.db);
    const { topics } = await knowledgeGapTopics(app, today(), {
      isSmallTalk: (question) => smallTalkReply(question, 'en', identity) !== null,
    });
    expect(
      topics.some((t) =>
        t.examples.includes('What is the airspeed velocity of an unladen swallow?'),
      ),
    ).toBe(true);

    const draft = await draftArticle(app, {
      label: 'antarctica · ship',
      examples: ['Do you ship to Antarctica?', 'Is shipping to Antarctica available?'],
      categories: ['orders_shipping'],
    });
    expect(draft).toContain(EDITOR_NOTE);
    expect(draft).toContain('title: "Do you ship to Antarctica"');
    const refused = await publishDraftArticle(app, draft).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TandemError);
    expect((refused as TandemError).code).toBe('bad_request:article');

    const finished = draft
      .replace(EDITOR_NOTE, '')
      .replace(
        '## Answer\n',
        '## Answer\n\nWe do not ship to Antarctica: our carriers cannot deliver to research stations.\n',
      );
    const document = await publishDraftArticle(app, finished);
    expect(document.slug).toBe('do-you-ship-to-antarctica');
    const found = await app.kb.retrieve('Do you deliver to Antarctica?', { limit: 3 });
    expect(found.passages[0]!.slug).toBe('do-you-ship-to-antarctica');
  });

  it('shows how conversations citing each article ended', async () => {
    const articles = await articleUsefulness(app.database.db, today());
    const reset = articles.find((a) => a.slug === 'reset-your-password')!;
    expect(reset.citations).toBeGreaterThan(0);
    expect(reset.conversations).toBeGreaterThan(0);
    const never = articles.filter((a) => a.citations === 0);
    expect(never.every((a) => a.conversations === 0 && a.helpful === 0)).toBe(true);
  });
});

describe('customer insights and demo history', () => {
  it('finds customers by part of a name or email, treating % and _ literally', async () => {
    await seedDemoHistory(app.database.db, { conversations: 120, days: 30, seed: 7 });
    const all = await searchCustomers(app.database.db, '@example.com');
    expect(all.length).toBeGreaterThan(10);
    expect(await searchCustomers(app.database.db, '%')).toEqual([]);
    const one = all[0]!;
    const insights = await customerInsights(app.database.db, one.id);
    expect(insights.conversations).toBe(one.conversations);
    expect(insights.history).toHaveLength(one.conversations);
    expect(insights.categories.reduce((s, c) => s + c.count, 0)).toBe(one.conversations);
  });

  it('seeds a consistent history the dashboard can read', async () => {
    const m = await dashboardMetrics(app.database.db, parseDateRange({ days: '30' }));
    expect(m.totals.conversations).toBeGreaterThanOrEqual(120);
    expect(m.totals.escalated).toBeGreaterThan(0);
    expect(m.totals.aiResolved).toBeGreaterThan(0);
    expect(m.agents.length).toBeGreaterThan(0);
    expect(m.csat.responses).toBeGreaterThan(0);
    expect(m.daily.reduce((s, d) => s + d.conversations, 0)).toBe(m.totals.conversations);
  });
});
