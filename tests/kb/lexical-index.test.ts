import { describe, expect, it } from 'vitest';
import { LexicalIndex } from '@/lib/kb/lexical-index';
import type { IndexedChunk } from '@/lib/kb/queries';
import { findSynonyms } from '@/lib/kb/support-synonyms';

function chunk(id: string, title: string, content: string): IndexedChunk {
  return { id, documentId: id, slug: id, title, category: null, sectionPath: '', content };
}

describe('lexical index: typo correction', () => {
  const index = new LexicalIndex([
    chunk('a', 'Track an order', 'We are seeking the parcel with the courier.'),
    chunk('b', 'Customer support', 'Talk to our customer support team.'),
  ]);

  it('corrects a word no dictionary knows to an indexed word one edit away', () => {
    const query = index.prepare('speak to cstomer support');
    expect(query.weights.get('custom')).toBeGreaterThan(0);
  });

  it('leaves a common word alone even when the knowledge base never uses it', () => {
    const query = index.prepare('seeing my order');
    expect(query.weights.has('seek')).toBe(false);
  });
});

describe('support synonyms: checking', () => {
  it('reads "see" and "view" as checking something', () => {
    expect(findSynonyms(['see', 'polici'], 0.5).get('see')?.get('check')).toBeGreaterThan(0);
    expect(findSynonyms(['view', 'invoic'], 0.5).get('view')?.get('check')).toBeGreaterThan(0);
  });
});

describe('lexical index: Chinese', () => {
  const index = new LexicalIndex([
    chunk('login', '', '忘记密码无法登录'),
    chunk('change', '', '密码忘了怎么修改'),
    chunk('address', '', '如何修改收货地址'),
    chunk('invoice', '', '发票怎么开'),
    chunk('renew', '', '会员怎么续费'),
    chunk('agent', '', '怎么联系人工客服'),
  ]);

  it('ranks the same question in other words above one that repeats the phrasing', () => {
    const [best] = index.query('密码忘了怎么登录', 2);
    expect(best?.chunk.id).toBe('login');
  });

  it('still counts bigrams whole in coverage', () => {
    const query = index.prepare('修改收货地址');
    expect(index.coverage(query, 'address')).toBe(1);
    expect(index.coverage(query, 'change')).toBeLessThan(0.5);
  });
});

describe('lexical index: words the knowledge base never uses', () => {
  const index = new LexicalIndex([
    chunk('returns', 'Returns and exchanges', 'Return an item within 30 days of delivery.'),
    chunk('shipping', 'Shipping times', 'Standard shipping to Malaysia takes 4 to 7 days.'),
    chunk('zh', '退款政策', '退款会在五到十个工作日内退回到您的信用卡。'),
  ]);

  it('leaves a product name out of the coverage it still counts as unknown', () => {
    const query = index.prepare('I want to return a teapot');
    expect(index.documentCoverage(query, 'returns')).toBeLessThan(0.7);
    expect(index.knownCoverage(query, 'returns')).toEqual({ knownCoverage: 1, unknownShare: 0.5 });
  });

  it('reads a question made of unknown words as mostly unknown', () => {
    const query = index.prepare('What is the capital of Australia?');
    expect(index.knownCoverage(query, 'shipping').unknownShare).toBe(1);
  });

  it('counts a typo as known, and a Chinese bigram as unknown only for an unknown character', () => {
    const typo = index.prepare('standard shiping to malaysa');
    expect(index.knownCoverage(typo, 'shipping').unknownShare).toBe(0);
    // "款到" is no word of the article, but both its characters are in it; "火箭" (rocket) is not.
    expect(index.knownCoverage(index.prepare('退款到信用卡'), 'zh').unknownShare).toBe(0);
    expect(index.knownCoverage(index.prepare('火箭退款'), 'zh').unknownShare).toBeGreaterThan(0);
  });
});

describe('lexical index: phrases', () => {
  const index = new LexicalIndex([
    chunk('service', 'Contact customer service', 'Our team answers on weekdays.'),
    chunk(
      'agent',
      'Talk to a human agent',
      'A customer can ask for an agent; the service is free.',
    ),
  ]);

  it('ranks the chunk that has two of the question words side by side first', () => {
    const [best] = index.query(index.prepare('customer service', { phraseWeight: 0.5 }), 2);
    expect(best?.chunk.id).toBe('service');
  });

  it('finds a phrase made with a synonym, and none at weight 0', () => {
    const phrase = index.prepare('customer support', { phraseWeight: 0.5, synonymWeight: 0.5 });
    expect(phrase.weights.get('custom servic')).toBeGreaterThan(0);
    const words = index.prepare('customer support', { phraseWeight: 0, synonymWeight: 0.5 });
    expect([...words.weights.keys()].some((term) => term.includes(' '))).toBe(false);
  });

  it('keeps phrases out of coverage, which counts the words', () => {
    const query = index.prepare('customer service', { phraseWeight: 0.5 });
    expect(index.coverage(query, 'service')).toBe(1);
  });
});

describe('lexical index: title weight', () => {
  const chunks = [
    chunk('title', 'Refund policy', 'Write to us within a month.'),
    chunk('body', 'Payments', 'A refund goes to the card you paid with.'),
  ];

  it('ranks a title match above a body match by more the heavier the title', () => {
    const gap = (titleWeight: number) => {
      const [first, second] = new LexicalIndex(chunks, { titleWeight }).query('refund', 2);
      expect(first?.chunk.id).toBe('title');
      return first!.score - second!.score;
    };
    expect(gap(8)).toBeGreaterThan(gap(2));
  });
});
