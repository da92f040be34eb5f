import { describe, expect, it } from 'vitest';
import { classifyOffline } from '@/lib/classify/classify-message';
import { trainTextClassifier } from '@/lib/classify/text-classifier';

const categories = trainTextClassifier(
  [
    ['I was charged twice', 'billing'],
    ['refund my payment', 'billing'],
    ['where is my parcel', 'orders_shipping'],
    ['the delivery is late', 'orders_shipping'],
  ].map(([text, label]) => ({ text: text!, label: label! })),
  // Declines whatever it is not quite sure of, to show what a decline reads as.
  { threshold: 0.9 },
);
const intents = trainTextClassifier(
  [
    ['where is my parcel', 'question'],
    ['how do I pay', 'question'],
    ['hello there', 'greeting'],
    ['good morning', 'greeting'],
  ].map(([text, label]) => ({ text: text!, label: label! })),
  { threshold: 0.9 },
);
const context = {
  history: [],
  customerContext: {},
  categories: ['billing', 'orders_shipping', 'other'],
};

describe('classifyOffline', () => {
  it('reads a declined category as other and a declined intent as question', () => {
    const text = 'zqxv plorf wubbit';
    expect(categories.predict(text).label).toBeNull();
    expect(intents.predict(text).label).toBeNull();
    const classification = classifyOffline(
      { category: categories, intent: intents },
      text,
      context,
    );
    expect(classification.category).toBe('other');
    expect(classification.intent).toBe('question');
    expect(classification.confidence).toBeLessThan(0.9);
  });

  it('keeps a label the classifier is sure of', () => {
    const sure = trainTextClassifier(
      [
        ['I was charged twice', 'billing'],
        ['where is my parcel', 'orders_shipping'],
      ].map(([text, label]) => ({ text: text!, label: label! })),
    );
    const classification = classifyOffline(
      { category: sure, intent: intents },
      'I was charged twice',
      context,
    );
    expect(classification.category).toBe('billing');
  });
});
