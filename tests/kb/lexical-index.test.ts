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
    expect(findSynonyms(['see', 'polici']).get('see')?.get('check')).toBeGreaterThan(0);
    expect(findSynonyms(['view', 'invoic']).get('view')?.get('check')).toBeGreaterThan(0);
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
