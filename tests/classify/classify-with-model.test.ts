import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '@/lib/cache/memory-cache';
import { classificationCacheKey, classifyWithModel } from '@/lib/classify/classify-message';
import type { Classification } from '@/lib/classify/schema';

const CATEGORIES = ['billing', 'technical', 'other'];

function modelAnswering(answer: Classification) {
  const text = JSON.stringify(answer);
  return new MockLanguageModelV4({
    doGenerate: async () => ({
      content: [{ type: 'text', text }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 10, text: 10, reasoning: undefined },
      },
      warnings: [],
    }),
  });
}

const calmAnswer: Classification = {
  category: 'shipping',
  intent: 'complaint',
  priority: 'medium',
  sentiment: { polarity: -0.3, label: 'negative', frustration: 0.1 },
  language: 'en',
  summary: 'Card charged twice',
  requiresHuman: false,
  confidence: 0.9,
};

describe('classifyWithModel', () => {
  it('sends its instructions as the system message and the message as data', async () => {
    const model = modelAnswering(calmAnswer);
    const cache = createMemoryCache({ prefix: 'test:' });
    const text = 'Third time asking: still not working. I want a human.';
    await classifyWithModel({ model, cache, ttlSeconds: 60, examples: [] }, text, {
      history: [],
      customerContext: { plan: 'pro' },
      categories: CATEGORIES,
    });

    const [call] = model.doGenerateCalls;
    const [system, user] = call!.prompt;
    expect(system).toEqual({
      role: 'system',
      content: expect.stringMatching(
        /^You classify customer-support messages for a support desk\./,
      ),
    });
    expect(system!.content).toContain(
      'Categories (use exactly one slug): billing, technical, other.',
    );
    expect(user).toEqual({
      role: 'user',
      content: [
        expect.objectContaining({
          type: 'text',
          text: expect.stringContaining(`Message: ${JSON.stringify(text)}`),
        }),
      ],
    });
  });

  it('keeps categories to the workspace’s, a request for a person, and the higher frustration', async () => {
    const model = modelAnswering(calmAnswer);
    const cache = createMemoryCache({ prefix: 'test:' });
    const options = { model, cache, ttlSeconds: 60, examples: [] };
    const text = 'Third time asking: still not working. I want a human.';
    const context = { history: [], customerContext: {}, categories: CATEGORIES };

    const classification = await classifyWithModel(options, text, context);
    expect(classification).toMatchObject({
      category: 'other',
      intent: 'asks_for_human',
      requiresHuman: true,
      sentiment: { polarity: -0.3, label: 'negative' },
    });
    expect(classification.sentiment.frustration).toBeGreaterThan(0.5);

    // The same text again comes from the cache, not a second model call.
    expect(await classifyWithModel(options, text, context)).toEqual(classification);
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(await cache.get(classificationCacheKey(CATEGORIES, text))).toBe(
      JSON.stringify(classification),
    );
  });
});
