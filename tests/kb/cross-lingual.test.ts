import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { retrieveAcrossLanguages } from '@/lib/kb/cross-lingual';
import { getGlossary, glossTranslate, parseGlossary, saveGlossary } from '@/lib/kb/glossary';
import type { KnowledgeBase, Retrieval } from '@/lib/kb/types';
import { askTurn } from '@/tests/harness/customer-turn';
import { passage } from '../fixtures/passage';
import { startTestApp } from '../harness/app';

describe('the bilingual glossary', () => {
  it('reads "中文 = english" lines and names a bad one', () => {
    expect(parseGlossary('# comment\n密码 = password\n\n退款 = refund')).toEqual([
      { zh: '密码', en: 'password' },
      { zh: '退款', en: 'refund' },
    ]);
    expect(() => parseGlossary('密码 password')).toThrow('Line 1: write it as "中文 = english".');
  });

  it('glosses a Chinese question into English words, longest terms first', () => {
    const glossary = parseGlossary(
      '取消 = cancel\n订阅 = subscription\n两步验证 = two-factor authentication\n验证 = verify',
    );
    expect(glossTranslate('我怎么取消订阅？', glossary)).toBe('cancel subscription');
    expect(glossTranslate('怎么开启两步验证', glossary)).toBe('two-factor authentication');
    expect(glossTranslate('Plus 会员可以取消吗', glossary)).toBe('cancel Plus');
    expect(glossTranslate('今天天气很好', glossary)).toBe('');
  });
});

describe('cross-lingual retrieval (offline)', () => {
  let app: AppContext;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ app, stop } = await startTestApp());
  });
  afterAll(() => stop());

  it('finds an English article for a Chinese question when no Chinese article answers it', async () => {
    const direct = await app.kb.retrieve('我怎么取消订阅？', { limit: 3 });
    expect(direct.confidence).toBeLessThan(app.config.chat.answerMinConfidence);
    const across = await retrieveAcrossLanguages(app, '我怎么取消订阅？', { limit: 3 });
    expect(across.translatedQuery).toBe('cancel subscription');
    expect(across.passages[0]!.slug).toBe('cancel-your-subscription');

    const customer = await createAnonymousCustomer(app.database.db);
    const result = await askTurn(app, { customer, text: '我怎么取消订阅？' });
    let finish: { messageMetadata?: { citations?: { slug: string }[] } } = {};
    const reader = result.stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (next.value.type === 'finish') finish = next.value as typeof finish;
    }
    expect(finish.messageMetadata?.citations?.map((c) => c.slug)).toEqual([
      'cancel-your-subscription',
    ]);
  });

  it('prefers the Chinese article when there is one, and uses the admins’ glossary', async () => {
    const zh = await retrieveAcrossLanguages(app, '退款多久能到账？', { limit: 3 });
    expect(zh.translatedQuery).toBeUndefined();
    expect(zh.passages[0]!.slug).toBe('zh-refund-policy');

    await saveGlossary(app.database.db, [
      ...(await getGlossary(app.database.db)),
      { zh: '礼品卡', en: 'promo code' },
    ]);
    const custom = await retrieveAcrossLanguages(app, '礼品卡不能用', { limit: 3 });
    expect(custom.translatedQuery).toBe('promo code');
    expect(custom.passages[0]!.slug).toBe('promo-code-not-working');
  });
});

describe('cross-lingual retrieval: the customer’s own-language article', () => {
  let app: AppContext;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ app, stop } = await startTestApp());
  });
  afterAll(() => stop());

  // A bike rental's help center, made up here: a short Chinese deposits article, a fuller English one.
  const zhDeposits = passage({
    id: 'zh-deposits:1',
    documentId: 'zh-deposits',
    slug: 'zh-deposits',
    title: '押金和退款',
    sectionPath: '押金',
    content: '解锁单车时会冻结 €50 押金，还车后 3 个工作日内解冻。',
  });
  const zhPassword = passage({
    id: 'zh-password:1',
    documentId: 'zh-password',
    slug: 'zh-password',
    title: '重置密码',
    sectionPath: '',
    content: '在登录页面选择忘记密码。',
  });
  const enDeposits = passage({
    id: 'deposits:1',
    documentId: 'deposits',
    slug: 'deposits-and-refunds',
    title: 'Deposits and refunds',
    sectionPath: 'Deposits',
    content:
      'We hold a deposit of €50 when you unlock a bike and release it within 3 working days.',
  });
  const enHelmets = passage({
    id: 'helmets:1',
    documentId: 'helmets',
    slug: 'helmets',
    title: 'Helmet rental',
    sectionPath: '',
    content: 'Helmets cost €2 a ride.',
  });
  /** Chinese questions find Chinese passages weakly; their English gloss finds English ones well. */
  const kbWith = (direct: Retrieval['passages'], across: Retrieval['passages']): KnowledgeBase => ({
    ...app.kb,
    retrieve: async (question: string) =>
      /\p{Script=Han}/u.test(question)
        ? { passages: direct, confidence: 0.1 }
        : { passages: across, confidence: 0.8 },
  });

  it('puts the Chinese article on the English result’s topic first, after the English one won', async () => {
    const ctx = { ...app, kb: kbWith([zhPassword, zhDeposits], [enDeposits, enHelmets]) };
    const found = await retrieveAcrossLanguages(ctx, '押金退款要几天？', { limit: 2 });
    expect(found.confidence).toBe(0.8);
    expect(found.passages.map((p) => p.slug)).toEqual(['zh-deposits', 'deposits-and-refunds']);
  });

  it('keeps the English result when no Chinese article is on its topic', async () => {
    const ctx = { ...app, kb: kbWith([zhPassword], [enDeposits, enHelmets]) };
    const found = await retrieveAcrossLanguages(ctx, '押金退款要几天？', { limit: 2 });
    expect(found.passages.map((p) => p.slug)).toEqual(['deposits-and-refunds', 'helmets']);
  });
});
