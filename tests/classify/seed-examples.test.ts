import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES, INTENTS } from '@/lib/classify/schema';
import { type LabelledText, trainTextClassifier } from '@/lib/classify/text-classifier';

function readSeed(file: string): LabelledText[] {
  return readFileSync(join(process.cwd(), 'content', 'classifier', file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LabelledText);
}

const categories = readSeed('categories.jsonl');
const intents = readSeed('intents.jsonl');

// Fresh messages, in none of the seed files.
const PROBES: { text: string; category: string; intent: string }[] = [
  { text: 'I was charged twice this month', category: 'billing', intent: 'complaint' },
  { text: 'can I talk to a real person', category: 'other', intent: 'asks_for_human' },
  { text: '你们的退款还是没到账', category: 'billing', intent: 'complaint' },
  { text: 'How do I update my password?', category: 'account', intent: 'question' },
  {
    text: 'The app freezes when I open my orders page',
    category: 'technical',
    intent: 'complaint',
  },
  {
    text: 'When will my parcel arrive in Kuala Lumpur?',
    category: 'orders_shipping',
    intent: 'question',
  },
  { text: 'Is the frying pan oven safe?', category: 'product_question', intent: 'question' },
  {
    text: 'Please add an option to pay with Touch n Go',
    category: 'feature_request',
    intent: 'request',
  },
  { text: 'good morning!', category: 'other', intent: 'greeting' },
  { text: 'please send me my receipt for last month', category: 'billing', intent: 'request' },
  { text: '我想取消订单', category: 'orders_shipping', intent: 'request' },
  { text: 'I love the new checkout, so quick', category: 'technical', intent: 'feedback' },
];

describe('seed examples', () => {
  it('use exactly the default labels, with 40–80 examples each', () => {
    const count = (rows: LabelledText[]) =>
      rows.reduce((map, row) => map.set(row.label, (map.get(row.label) ?? 0) + 1), new Map());
    const categoryCounts = count(categories);
    const intentCounts = count(intents);
    expect([...categoryCounts.keys()].sort()).toEqual([...DEFAULT_CATEGORIES].sort());
    expect([...intentCounts.keys()].sort()).toEqual([...INTENTS].sort());
    for (const n of [...categoryCounts.values(), ...intentCounts.values()]) {
      expect(n).toBeGreaterThanOrEqual(40);
      expect(n).toBeLessThanOrEqual(80);
    }
  });

  it('hold no probe message', () => {
    const seeded = new Set([...categories, ...intents].map((row) => row.text.toLowerCase()));
    for (const probe of PROBES) expect(seeded.has(probe.text.toLowerCase())).toBe(false);
  });

  it('train models that classify fresh messages', () => {
    const categoryModel = trainTextClassifier(categories);
    const intentModel = trainTextClassifier(intents);
    for (const probe of PROBES) {
      expect([probe.text, categoryModel.predict(probe.text).label]).toEqual([
        probe.text,
        probe.category,
      ]);
      expect([probe.text, intentModel.predict(probe.text).label]).toEqual([
        probe.text,
        probe.intent,
      ]);
    }
  });
});
