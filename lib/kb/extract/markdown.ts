import matter from 'gray-matter';
import type { Article } from '@/lib/kb/article';
import {
  buildArticle,
  decodeText,
  type ExtractInput,
  normalizeLanguage,
  titleFromFilename,
  unreadable,
} from './build-article';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ATX_H1 = /^#\s+(.+?)\s*#*\s*$/m;

/**
 * Markdown with or without YAML front matter. Unlike `parseArticle` (curated articles, strict),
 * uploads are taken as they come: missing or odd front-matter fields fall back to defaults.
 */
export function extractMarkdown(input: ExtractInput): Article {
  const source = decodeText(input.bytes, input.mediaType);
  let parsed: { data: Record<string, unknown>; content: string };
  try {
    parsed = matter(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw unreadable(input.filename, 'Markdown', `its front matter is not valid YAML (${reason}).`);
  }
  const { data, content } = parsed;
  const heading = ATX_H1.exec(withoutCodeFences(content))?.[1];
  const title =
    stringField(data.title) ??
    stringField(heading?.replace(/[*_`]/g, '')) ??
    titleFromFilename(input.filename);
  const slug = stringField(data.slug);
  return buildArticle({
    title,
    body: content,
    sourceType: 'markdown',
    origin: input.filename,
    slug: slug && KEBAB.test(slug) ? slug : undefined,
    category: stringField(data.category),
    summary: stringField(data.summary),
    language: normalizeLanguage(stringField(data.language)),
    updated: dateField(data.updated),
  });
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function dateField(value: unknown): Date | undefined {
  if (!(value instanceof Date) && typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A `# comment` inside a shell snippet must not become the title. */
function withoutCodeFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
}
