import type { AppContext } from '@/lib/context';
import { searchDocuments } from '@/lib/kb/queries';
import { truncateText } from '@/lib/text/truncate';

export interface ArticleHit {
  slug: string;
  title: string;
  category: string | null;
  /** Where in the article the match is, and a few words of it. */
  section: string | null;
  snippet: string;
}

const MAX_HITS = 10;
const SNIPPET_CHARS = 220;

/**
 * Published articles for a reader's search: first those the knowledge base's own retrieval finds
 * for the question (passages that share its words, best first), then any whose title or text
 * contains the words as typed. Nothing for a query none of them speaks of.
 */
export async function searchArticles(
  app: Pick<AppContext, 'kb' | 'database'>,
  query: string,
): Promise<ArticleHit[]> {
  const q = query.trim();
  if (!q) return [];
  const [retrieval, listed] = await Promise.all([
    app.kb.retrieve(q, { limit: MAX_HITS }),
    searchDocuments(app.database.db, { query: q, limit: MAX_HITS }),
  ]);
  const hits = new Map<string, ArticleHit>();
  for (const passage of retrieval.passages) {
    if (passage.coverage <= 0 || hits.has(passage.slug)) continue;
    hits.set(passage.slug, {
      slug: passage.slug,
      title: passage.title,
      category: passage.category,
      section: passage.sectionPath || null,
      snippet: truncateText(plain(passage.content), SNIPPET_CHARS),
    });
  }
  for (const document of listed.documents) {
    if (hits.has(document.slug)) continue;
    hits.set(document.slug, {
      slug: document.slug,
      title: document.title,
      category: document.category,
      section: null,
      snippet: truncateText(document.summary ?? '', SNIPPET_CHARS),
    });
  }
  return [...hits.values()].slice(0, MAX_HITS);
}

/** Markdown as the words a reader sees in a snippet. */
function plain(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#*_`>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
