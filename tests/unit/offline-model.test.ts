import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createOfflineModel } from '@/lib/ai/offline/offline-model';
import { abstentionReply, answerInstructions } from '@/lib/ai/prompts';
import { citedIndexes, parseSources } from '@/lib/ai/sources';
import { passage } from '../fixtures/passage';

const identity = { assistantName: 'Parcelly Assistant', businessName: 'Parcelly' };

const shipping = passage({
  id: 'c2',
  documentId: 'd2',
  slug: 'shipping-options',
  title: 'Shipping options',
  sectionPath: 'Delivery times',
  content: 'Standard delivery in Singapore takes 2–4 working days.\n\nExpress arrives next day.',
});

describe('offline model', () => {
  it('is an AI SDK language model that streams a grounded answer word by word, citing its source', async () => {
    const result = streamText({
      model: createOfflineModel(),
      system: answerInstructions(identity, [shipping, passage({})]),
      prompt: 'How long does a refund take to reach my card?',
    });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.length).toBe(15);
    expect(deltas.join('')).toBe(
      '**How long refunds take**\n\nRefunds reach your original payment method within 5–10 business days. [2]',
    );
    expect((await result.usage).outputTokens).toBe(15);
  });

  it('keeps a list whole and titles it with its section', async () => {
    const steps = passage({
      sectionPath: 'Request a refund',
      content: `${'Background about refunds that is long. '.repeat(20)}\n\nTo request a refund:\n\n1. Open Orders.\n2. Select Request refund.\n\nOther text about unrelated things.`,
    });
    const { text } = await generateText({
      model: createOfflineModel(),
      system: answerInstructions(identity, [steps]),
      prompt: 'how do I request a refund',
    });
    expect(text).toBe(
      '**Request a refund**\n\nTo request a refund:\n\n1. Open Orders.\n2. Select Request refund. [1]',
    );
  });

  it('says it does not know when the prompt carries no sources', async () => {
    const { text } = await generateText({
      model: createOfflineModel(),
      system: answerInstructions(identity, []),
      prompt: 'What is the capital of France?',
    });
    expect(text).toBe(abstentionReply());
  });

  it('says so in the customer’s language', async () => {
    const { text } = await generateText({
      model: createOfflineModel(),
      system: answerInstructions(identity, [], { language: 'zh' }),
      prompt: '人生的意义是什么？',
    });
    expect(text).toBe(abstentionReply('zh'));
    expect(text).toMatch(/^抱歉/);
    expect(abstentionReply('ta')).toBe(abstentionReply('en'));
  });

  it('round-trips sources through the prompt and reads citations back', () => {
    const prompt = answerInstructions(identity, [passage({ title: 'Say "hi"' }), shipping]);
    expect(parseSources(prompt).map((s) => [s.index, s.title, s.section])).toEqual([
      [1, 'Say ”hi”', 'How long refunds take'],
      [2, 'Shipping options', 'Delivery times'],
    ]);
    expect(citedIndexes('A [2] and B [1] and again [2].')).toEqual([2, 1]);
  });
});
