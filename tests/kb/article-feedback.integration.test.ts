import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as voteOnArticle } from '@/app/api/widget/article-feedback/route';
import { searchArticles } from '@/app/kb/search';
import type { AppContext } from '@/lib/context';
import { parseArticle } from '@/lib/kb/article';
import { ARTICLE_VOTES_PER_HOUR, countArticleFeedback } from '@/lib/kb/article-feedback';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

const ARTICLE = `---
title: Gift wrapping your order
slug: gift-wrapping-your-order
category: orders-shipping
summary: How to add wrapping and a card.
---
## Add wrapping

Tick **Gift wrap** at checkout and we wrap every item in recycled paper.

## Gift messages

Write a message of up to 200 characters; we print it on a card.
`;

beforeAll(async () => {
  // One proxy in front, so each test reader is told apart by the address it forwards.
  ({ app, stop } = await startServedTestApp({ TANDEM_TRUSTED_PROXIES: '1' }));
  await app.kb.indexArticle(parseArticle(ARTICLE, 'gift-wrapping.md'));
});
afterAll(() => stop());

const vote = (body: unknown, address = '203.0.113.7') =>
  voteOnArticle(
    new Request('http://localhost/api/widget/article-feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );

const countsFor = async (slug: string) =>
  (await countArticleFeedback(app.database.db)).find((c) => c.slug === slug);

describe('"Was this helpful?" on a help-center article', () => {
  it('files the article under the taxonomy key, whatever its front matter spells', async () => {
    expect(parseArticle(ARTICLE).category).toBe('orders_shipping');
  });

  it('counts one vote per reader, a second vote replacing the first', async () => {
    const slug = 'gift-wrapping-your-order';
    expect((await vote({ slug, helpful: false })).status).toBe(204);
    expect((await vote({ slug, helpful: true })).status).toBe(204);
    expect((await vote({ slug, helpful: false }, '198.51.100.20')).status).toBe(204);
    expect(await countsFor(slug)).toMatchObject({ helpful: 1, notHelpful: 1 });
  });

  it('says clearly what is wrong with a vote it cannot take', async () => {
    const unknown = await vote({ slug: 'no-such-article', helpful: true });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('not_found:article');
    const invalid = await vote({ slug: '../admin', helpful: 'yes' });
    expect(invalid.status).toBe(400);
    const fields = (await invalid.json()).error.details.fields.map(
      (f: { field: string }) => f.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['slug', 'helpful']));
  });

  it('refuses a reader voting more often than a person would', async () => {
    const address = '192.0.2.99';
    for (let i = 0; i < ARTICLE_VOTES_PER_HOUR; i++) {
      expect(
        (await vote({ slug: 'gift-wrapping-your-order', helpful: i % 2 === 0 }, address)).status,
      ).toBe(204);
    }
    const refused = await vote({ slug: 'gift-wrapping-your-order', helpful: true }, address);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe('rate_limited:article_feedback');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('searching the help center', () => {
  it('finds the article a question is about, with the section that answers it', async () => {
    const hits = await searchArticles(app, 'can you print a message on a card?');
    expect(hits[0]).toMatchObject({ slug: 'gift-wrapping-your-order' });
    expect(hits[0]!.snippet).toContain('card');
  });

  it('finds an article by words of its title as typed', async () => {
    const hits = await searchArticles(app, 'Gift wrapping');
    expect(hits.map((h) => h.slug)).toContain('gift-wrapping-your-order');
  });

  it('finds nothing for words no article speaks of', async () => {
    expect(await searchArticles(app, 'xylophone quasar')).toEqual([]);
    expect(await searchArticles(app, '   ')).toEqual([]);
  });
});
