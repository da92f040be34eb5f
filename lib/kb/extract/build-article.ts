import { TandemError } from '@/lib/errors';
import { type Article, type ArticleSource, hashText } from '@/lib/kb/article';

/** What every extractor receives: the raw upload or download and where it came from. */
export interface ExtractInput {
  /** The uploaded file name or the URL it was fetched from; used in messages and as a fallback title. */
  filename: string;
  /** The declared media type, parameters included (e.g. `text/html; charset=iso-8859-1`). */
  mediaType?: string;
  bytes: Uint8Array;
}

export interface ArticleParts {
  title: string;
  body: string;
  sourceType: ArticleSource;
  origin: string;
  slug?: string;
  language?: string;
  category?: string;
  summary?: string;
  updated?: Date;
}

const SLUG_MAX_LENGTH = 80;

/** Kebab-case ASCII slug for a title; accents are folded so "Café hours" becomes `cafe-hours`. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= SLUG_MAX_LENGTH) return slug || 'document';
  const cut = slug.slice(0, SLUG_MAX_LENGTH);
  const lastDash = cut.lastIndexOf('-');
  // Cutting at a dash keeps the last word whole instead of leaving half of it.
  return (lastDash > 20 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}

/** "refund_policy-2026.pdf" → "Refund policy 2026": the title of last resort. */
export function titleFromFilename(filename: string): string {
  const base = baseName(filename)
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return base ? base.charAt(0).toUpperCase() + base.slice(1) : 'Untitled document';
}

/** The last path segment of a file name or URL, so messages name the file and not the whole path. */
export function baseName(filename: string): string {
  let path = filename;
  try {
    path = decodeURIComponent(new URL(filename).pathname);
  } catch {
    // Not a URL: an uploaded file name, possibly with a client-side path.
  }
  const segments = path.split(/[\\/]/).filter(Boolean);
  return segments.at(-1) ?? filename;
}

/** `en-GB` → `en`: retrieval only distinguishes languages, not regional variants. */
export function normalizeLanguage(tag: string | null | undefined): string | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

/** A collapsed single-line version of a heading or title candidate. */
export function cleanLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Assembles the Article and drops a leading heading that repeats the title, so bodies look like
 * the curated articles (title in front matter, sections from `##`) and the title is not indexed
 * twice as its own chunk.
 */
export function buildArticle(parts: ArticleParts): Article {
  const title = cleanLine(storableText(parts.title));
  const body = nestUnderTitle(dropRepeatedTitle(normalizeBody(storableText(parts.body)), title));
  if (!body) throw new NoReadableTextError(parts.origin);
  return {
    title,
    slug: parts.slug ?? slugify(title),
    language: parts.language ?? 'en',
    ...(parts.category ? { category: parts.category } : {}),
    ...(parts.summary ? { summary: parts.summary } : {}),
    ...(parts.updated ? { updated: parts.updated } : {}),
    body,
    contentHash: hashText(`${title}\n${body}`),
    sourceType: parts.sourceType,
    origin: parts.origin,
  };
}

/** PostgreSQL refuses U+0000 in text, and a lone surrogate (say from `&#xD800;`) is no character. */
function storableText(text: string): string {
  // With the u flag a paired surrogate is one astral code point, so \p{Cs} matches only lone ones.
  return text.replaceAll('\u0000', '').replace(/\p{Cs}/gu, '\uFFFD');
}

function normalizeBody(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function dropRepeatedTitle(body: string, title: string): string {
  const match = /^#{1,6}\s+(.+?)\s*#*\s*(?:\n|$)/.exec(body);
  if (!match || !sameText(match[1]!, title)) return body;
  return body.slice(match[0].length).trim();
}

/**
 * Shifts headings so the shallowest is `##`: the title is the document's only level-1 heading,
 * and the chunker nests `###` under `##` but treats `#` and `##` as siblings.
 */
function nestUnderTitle(body: string): string {
  const lines = body.split('\n');
  const headingLines: number[] = [];
  let inFence = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence && /^#{1,6}\s/.test(line)) headingLines.push(index);
  });
  const shallowest = Math.min(...headingLines.map((i) => /^#+/.exec(lines[i]!)![0].length));
  if (shallowest !== 1) return body;
  for (const index of headingLines) {
    lines[index] = lines[index]!.replace(/^(#{1,5})(?=\s)/, '$1#');
  }
  return lines.join('\n');
}

function sameText(a: string, b: string): boolean {
  const simplify = (s: string) => s.toLowerCase().replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
  return simplify(a) === simplify(b);
}

/** A file that was read without fault but holds no words (a scan, a page of markup alone). */
export class NoReadableTextError extends TandemError {
  constructor(origin: string) {
    super(
      'bad_request:kb',
      `${baseName(origin)} has no readable text to add to the knowledge base.`,
    );
    this.name = 'NoReadableTextError';
  }
}

/** The clear, user-facing error for a file that is not what it claims to be or is damaged. */
export function unreadable(filename: string, format: string, reason: string): TandemError {
  return new TandemError(
    'bad_request:kb',
    `${baseName(filename)} could not be read as ${format}: ${reason}`,
  );
}

/**
 * Decodes text honouring a BOM first, then the declared charset, then UTF-8, because uploads
 * rarely declare a charset and browsers send whatever the OS guessed.
 */
export function decodeText(bytes: Uint8Array, mediaType?: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const charset = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(mediaType ?? '')?.[1];
  if (charset) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // An unknown charset label: UTF-8 is the best remaining guess.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}
