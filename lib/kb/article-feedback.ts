import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { kbArticleFeedback, kbDocuments } from '@/db/schema';
import type { Cache } from '@/lib/cache';
import { TandemError } from '@/lib/errors';
import { rateLimitHeaders, slidingWindowLimit } from '@/lib/rate-limit/sliding-window';

/** Votes one address may cast an hour, across articles: a reader rates a few, a script many. */
export const ARTICLE_VOTES_PER_HOUR = 30;

/**
 * Who voted, as a keyed hash of their address: enough to let a second vote replace the first,
 * and nothing that names the reader.
 */
export function voterOf(secret: string, address: string): string {
  return createHmac('sha256', secret).update(`kb-feedback:${address}`).digest('base64url');
}

/** A 429 `rate_limited:article_feedback` once an address has voted too often this hour. */
export async function limitArticleVotes(cache: Cache, voter: string): Promise<void> {
  const limit = await slidingWindowLimit(cache, `kb-feedback:${voter}`, ARTICLE_VOTES_PER_HOUR, {
    windowSeconds: 3600,
  });
  if (!limit.allowed) {
    throw new TandemError(
      'rate_limited:article_feedback',
      `Thanks, we have your feedback. Please try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`,
      { retryAfterSeconds: limit.retryAfterSeconds },
      rateLimitHeaders(limit),
    );
  }
}

/** "Was this helpful?" on a published article; the same reader's second vote replaces the first. */
export async function recordArticleFeedback(
  db: Database,
  input: { slug: string; voter: string; helpful: boolean },
): Promise<void> {
  const [document] = await db
    .select({ id: kbDocuments.id })
    .from(kbDocuments)
    .where(eq(kbDocuments.slug, input.slug));
  if (!document) throw new TandemError('not_found:article', 'No article has that address.');
  await db
    .insert(kbArticleFeedback)
    .values({ documentId: document.id, voter: input.voter, helpful: input.helpful })
    .onConflictDoUpdate({
      target: [kbArticleFeedback.documentId, kbArticleFeedback.voter],
      set: { helpful: input.helpful, updatedAt: new Date() },
    });
}

export interface ArticleFeedbackCount {
  documentId: string;
  slug: string;
  title: string;
  helpful: number;
  notHelpful: number;
}

/** Helpful and not-helpful votes per article that has any, the most voted first. */
export async function countArticleFeedback(db: Database): Promise<ArticleFeedbackCount[]> {
  const helpful = sql<number>`count(*) filter (where ${kbArticleFeedback.helpful})`.mapWith(Number);
  const notHelpful = sql<number>`count(*) filter (where not ${kbArticleFeedback.helpful})`.mapWith(
    Number,
  );
  return db
    .select({
      documentId: kbDocuments.id,
      slug: kbDocuments.slug,
      title: kbDocuments.title,
      helpful,
      notHelpful,
    })
    .from(kbArticleFeedback)
    .innerJoin(kbDocuments, eq(kbDocuments.id, kbArticleFeedback.documentId))
    .groupBy(kbDocuments.id, kbDocuments.slug, kbDocuments.title)
    .orderBy(sql`count(*) desc`, kbDocuments.title);
}
