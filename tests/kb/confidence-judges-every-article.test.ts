import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '@/db/client';
import { type Article, hashText } from '@/lib/kb/article';
import { createHashedEmbedder } from '@/lib/kb/embedding';
import { createKnowledgeBase } from '@/lib/kb/knowledge-base';
import type { KnowledgeBase } from '@/lib/kb/types';
import { createVectorStore } from '@/lib/kb/vector-store';
import { createTempDataDir, type TempDataDir } from '../harness/postgres';

// A help center made up for this test: Pedalo, a bike rental.
const article = (slug: string, title: string, body: string): Article => ({
  slug,
  title,
  body,
  language: 'en',
  contentHash: hashText(`${title}\n${body}`),
});

const ARTICLES = [
  article(
    'bike-delivery',
    'Bike delivery to your door',
    '## Delivery times\n\nStandard delivery takes 1–2 days in the Netherlands and 3–4 days in Belgium.\n\n## Delivery fees\n\nDelivery costs €10, free on rentals over €100.\n\n## Missed delivery\n\nIf you miss the delivery, the courier tries again the next day.',
  ),
  article(
    'paying',
    'Ways to pay for your rental',
    "## Payment methods we accept\n\nWe accept Visa, Mastercard, iDEAL and PayPal. We don't accept cash on delivery, cheques or bank transfers.\n\n## Add a card\n\nSelect **Add payment method** in the app.",
  ),
  article(
    'deposits',
    'Deposits',
    '## Deposits\n\nWe hold a deposit of €50 on your card when you unlock a bike. The hold is released within 3 working days.',
  ),
  article(
    'memberships',
    'Pedalo memberships',
    "## Plans\n\nBasic gives 10% off day passes. Plus gives 20% off day passes and free helmet rental.\n\n## Cancel your membership\n\nCancel in the app under **Account > Membership**. You keep your perks until the end of the month; we don't refund the rest of the month.",
  ),
  article(
    'refunds',
    'Refunds',
    '## What we refund\n\nWe refund day passes you did not use within 14 days. Membership fees are refunded only within 14 days of joining.\n\n## How refunds are paid\n\nRefunds go back to your card within 5 working days.',
  ),
];

describe('the answer confidence', () => {
  let dataDir: TempDataDir;
  let handle: DatabaseHandle;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    dataDir = await createTempDataDir();
    handle = await openDatabase({ driver: 'pglite', dataDir: dataDir.dir });
    await handle.migrate();
    const vectors = await createVectorStore({ kind: 'auto' }, { db: handle.db, embedded: true });
    kb = createKnowledgeBase({ db: handle.db, vectors, embedder: createHashedEmbedder() });
    for (const each of ARTICLES) await kb.indexArticle(each);
  });

  afterAll(async () => {
    await handle?.close();
    await dataDir?.cleanup();
  });

  it('judges every article among the passages handed over, not only the first one', async () => {
    const question = 'cash on delivery possible?';
    const first = await kb.retrieve(question, { limit: 1 });
    const handed = await kb.retrieve(question, { limit: 4 });
    expect(first.passages[0]?.slug).toBe(handed.passages[0]?.slug);
    // Another article than the first passage's is judged the more likely to answer.
    expect(handed.confidence).toBeGreaterThan(first.confidence);
    // However many passages are handed over, the same first four are judged.
    expect((await kb.retrieve(question, { limit: 8 })).confidence).toBe(handed.confidence);
  });
});
