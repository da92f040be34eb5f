import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '@/db/schema';
import { worstPriority } from '@/lib/classify/priority';
import type { Classification, Sentiment } from '@/lib/classify/schema';
import { analyzeSentiment, conversationSentiment } from '@/lib/classify/sentiment';
import type { AppContext } from '@/lib/context';
import { labelConversation } from '@/lib/conversations/conversation-labels';
import { resolve, takeOver } from '@/lib/conversations/handoff';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { say } from '@/tests/harness/customer-turn';
import { signedInStaff, startTestApp } from '../harness/app';

const feeling = (polarity: number, frustration = 0): Sentiment => ({
  polarity,
  label: polarity <= -0.2 ? 'negative' : polarity >= 0.2 ? 'positive' : 'neutral',
  frustration,
});

describe('a conversation’s priority and sentiment', () => {
  it('take the worst priority of its messages', () => {
    expect(worstPriority([])).toBeNull();
    expect(worstPriority(['medium', 'urgent', 'low'])).toBe('urgent');
    expect(worstPriority(['low', 'medium'])).toBe('medium');
  });

  it('take the worst sentiment and frustration, with the trend of the latest messages', () => {
    expect(conversationSentiment([])).toBeNull();
    expect(conversationSentiment([feeling(-0.6, 0.7), feeling(0), feeling(0.5)])).toEqual({
      polarity: -0.6,
      label: 'negative',
      frustration: 0.7,
      trend: 'improving',
    });
    expect(conversationSentiment([feeling(0.4), feeling(0), feeling(-0.5, 0.3)])?.trend).toBe(
      'worsening',
    );
    // Frustration without a negative word is a turn for the worse too: "STILL not working!!".
    expect(conversationSentiment([feeling(0), feeling(0, 0.6)])?.trend).toBe('worsening');
    expect(conversationSentiment([feeling(0), feeling(0.1), feeling(0)])?.trend).toBe('steady');
    expect(conversationSentiment([feeling(-0.8)])?.trend).toBe('steady');
    // Only the latest few messages set the trend: an old swing says little about now.
    const calmAgain = [feeling(0.6), feeling(-0.9, 0.8), ...Array(4).fill(feeling(0))];
    expect(conversationSentiment(calmAgain)).toMatchObject({ polarity: -0.9, trend: 'steady' });
  });

  it('reads real messages: fury, then details, then thanks is a worst of negative, improving', () => {
    const texts = [
      "My parcel never arrived and I'm furious!!",
      'The order number is PX-2211.',
      'ok thanks, that helps',
    ];
    const history: string[] = [];
    const readings = texts.map((text) => {
      const sentiment = analyzeSentiment(text, history);
      history.push(text);
      return sentiment;
    });
    const result = conversationSentiment(readings)!;
    expect(result.label).toBe('negative');
    expect(result.polarity).toBe(Math.min(...readings.map((r) => r.polarity)));
    expect(result.trend).toBe('improving');
  });

  it('label the topic by what the customer needs, not by the “ok thanks” read as other', () => {
    const c = (overrides: Partial<Classification>): Classification => ({
      category: 'other',
      intent: 'question',
      priority: 'medium',
      sentiment: feeling(0),
      language: 'en',
      summary: '',
      requiresHuman: false,
      confidence: 0.8,
      ...overrides,
    });
    const labels = labelConversation([
      { content: 'Hello', classification: c({ intent: 'greeting', priority: 'low' }) },
      {
        content: 'Someone hacked my account and made payments!',
        classification: c({ category: 'account', priority: 'urgent', sentiment: feeling(-0.5) }),
      },
      {
        content: 'ok thanks',
        classification: c({ intent: 'feedback', priority: 'low', sentiment: feeling(0.5) }),
      },
      { content: 'terima kasih', classification: c({ language: 'ms', priority: 'low' }) },
    ]);
    expect(labels).toEqual({
      category: 'account',
      priority: 'urgent',
      sentiment: -0.5,
      frustration: 0,
      sentimentTrend: 'improving',
      language: 'ms',
      topic: 'Someone hacked my account and made payments',
    });
    expect(labelConversation([{ content: 'hi' }])).toBeNull();
  });
});

describe('stored on the conversation as the customer writes (PGlite)', () => {
  let app: AppContext;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ app, stop } = await startTestApp());
  });
  afterAll(() => stop?.());

  const stored = async (id: string) =>
    (await app.database.db.select().from(conversations).where(eq(conversations.id, id)))[0]!;

  it('keeps an urgent conversation urgent through "ok thanks" until it is resolved', async () => {
    const { staff: dana } = await signedInStaff(app, 'agent', 'Dana');
    const customer = await createAnonymousCustomer(app.database.db);
    const first = await say(app, customer.id, 'Someone hacked my account and made payments!');
    expect(first.classification.priority).toBe('urgent');
    const id = first.conversationId;
    await takeOver(app, dana, id);
    const thanks = await say(app, customer.id, 'ok thanks', id);
    expect(thanks.classification.priority).not.toBe('urgent');
    expect(thanks.classification.sentiment.label).toBe('positive');

    expect(await stored(id)).toMatchObject({
      priority: 'urgent',
      category: first.classification.category,
      sentiment: first.classification.sentiment.polarity,
      sentimentTrend: 'improving',
      topic: 'Someone hacked my account and made payments',
    });

    // Resolved, the matter is settled: the customer's next question starts a conversation of its
    // own, labelled on its own, and the resolved one keeps what it was about.
    await resolve(app, dana, id);
    const next = await say(app, customer.id, 'How do I change my delivery address?', id);
    expect(next.conversationId).not.toBe(id);
    expect(await stored(next.conversationId)).toMatchObject({
      previousConversationId: id,
      priority: next.classification.priority,
      sentiment: next.classification.sentiment.polarity,
      sentimentTrend: 'steady',
      topic: 'How do I change my delivery address?',
    });
    expect(next.classification.priority).not.toBe('urgent');
    expect(await stored(id)).toMatchObject({
      priority: 'urgent',
      topic: 'Someone hacked my account and made payments',
    });
  });
});
