import { asc } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { kbDocuments } from '@/db/schema';
import { type DeskTestCase, deskTestCaseSchema, NEW_CUSTOMER } from './case';
import { addMissingCases } from './cases';

/** The id of an article's starter case: one per article, so writing them again adds only new ones. */
export const articleCaseId = (slug: string) => `article-${slug}`.slice(0, 100).replace(/\s+/g, '-');

/**
 * Starter cases for a knowledge base a desk has just imported: for each article, a new customer
 * asks about its title, in the article's language, and the reply must answer and cite it. They
 * show at once which articles the assistant cannot find by their own subject. Articles that
 * already have their case keep it as the admin may have edited it; only the missing ones are
 * added. Returns every article's case id, in the knowledge base's order, and how many were new.
 */
export async function addArticleCases(
  db: Database,
): Promise<{ caseIds: string[]; created: number }> {
  const articles = await db
    .select({ slug: kbDocuments.slug, title: kbDocuments.title, language: kbDocuments.language })
    .from(kbDocuments)
    .orderBy(asc(kbDocuments.createdAt), asc(kbDocuments.slug));
  const byId = new Map<string, DeskTestCase>();
  const cases = articles
    .filter((article) => article.title.trim().length > 0)
    .map((article) =>
      deskTestCaseSchema.parse({
        id: articleCaseId(article.slug),
        customer: NEW_CUSTOMER,
        turns: [article.title.trim()],
        expect: {
          kind: 'answer',
          article: article.slug,
          language: /^[a-z]{2}$/.test(article.language) ? article.language : null,
        },
        source: 'article',
      }),
    );
  for (const c of cases) if (!byId.has(c.id)) byId.set(c.id, c);
  const unique = [...byId.values()];
  return { caseIds: [...byId.keys()], created: await addMissingCases(db, unique) };
}
