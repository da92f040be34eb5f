import { createHash } from 'node:crypto';
import matter from 'gray-matter';
import { z } from 'zod';
import { categoryKey } from '@/lib/text/labels';

const frontMatterSchema = z.object({
  title: z.string().trim().min(1),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9 and dashes)'),
  /** Filed under the taxonomy's key whatever the spelling, so `orders-shipping` is `orders_shipping`. */
  category: z.string().trim().min(1).transform(categoryKey).optional(),
  summary: z.string().trim().optional(),
  language: z.string().trim().min(2).default('en'),
  updated: z.coerce.date().optional(),
});

export type ArticleSource = 'markdown' | 'html' | 'text' | 'pdf' | 'docx' | 'url';

export type Article = z.infer<typeof frontMatterSchema> & {
  body: string;
  contentHash: string;
  sourceType?: ArticleSource;
  /** Where a fetched or uploaded document came from (URL or file name). */
  origin?: string;
};

/** A Markdown help article with YAML front matter (title, slug, category, summary, updated). */
export function parseArticle(source: string, origin = 'article'): Article {
  const { data, content } = matter(source);
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${origin} has invalid front matter: ${problems.join('; ')}`);
  }
  const body = content.trim();
  return { ...parsed.data, body, contentHash: hashText(`${parsed.data.title}\n${body}`) };
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
