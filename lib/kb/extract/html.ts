import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { NodeHtmlMarkdown } from 'node-html-markdown';
import type { Article } from '@/lib/kb/article';
import {
  buildArticle,
  cleanLine,
  decodeText,
  type ExtractInput,
  normalizeLanguage,
  titleFromFilename,
} from './build-article';

/** Never article text, wherever it sits in the page. */
const NON_CONTENT =
  'script, style, noscript, template, iframe, svg, form, nav, [role="navigation"], [role="search"], [aria-hidden="true"]';
/** Site chrome when outside the article; inside it, a header holds the title and an aside a tip. */
const SITE_CHROME = 'header, footer, aside, [role="banner"], [role="contentinfo"]';
const MAIN_CONTENT = 'main, article, [role="main"]';

const markdownConverter = new NodeHtmlMarkdown({
  bulletMarker: '-',
  codeBlockStyle: 'fenced',
  // Images carry no searchable text, and remote image links would leak into answers.
  ignore: ['img', 'picture', 'video', 'audio', 'script', 'style'],
  maxConsecutiveNewlines: 2,
});

/** HTML → Markdown with ATX headings (`##`), so the chunker can cut at sections. */
export function htmlToMarkdown(html: string): string {
  return markdownConverter.translate(html);
}

/**
 * A web page: Readability picks the main content (dropping navigation, footers and sidebars), and
 * the page's single `<h1>` is preferred as the title because `<title>` usually carries the site
 * name ("Refunds | Example Shop Help").
 */
export function extractHtml(input: ExtractInput): Article {
  const declaresCharset = /charset\s*=/i.test(input.mediaType ?? '');
  const html = decodeText(
    input.bytes,
    declaresCharset ? input.mediaType : sniffCharset(input.bytes),
  );
  const document = parseDocument(html);
  const language = normalizeLanguage(document.documentElement?.getAttribute('lang'));
  const pageTitle = cleanLine(document.querySelector('title')?.textContent ?? '');
  // Readability drops chrome on long pages but keeps it on short ones, so it goes first.
  for (const node of document.querySelectorAll(NON_CONTENT)) node.remove();
  for (const node of document.querySelectorAll(SITE_CHROME)) {
    if (!node.parentElement?.closest(MAIN_CONTENT)) node.remove();
  }
  absolutizeLinks(document, input.filename);
  const headings = [...document.querySelectorAll('h1')].map((h) => cleanLine(h.textContent ?? ''));

  // Readability rewrites the document it reads, so it gets its own copy.
  const article = readMainContent(document.toString());
  let content = article?.content ?? '';
  if (!cleanLine(htmlText(content))) {
    content = document.querySelector(MAIN_CONTENT)?.innerHTML ?? document.body?.innerHTML ?? '';
  }

  const singleHeading = headings.length === 1 && headings[0] ? headings[0] : undefined;
  const title =
    singleHeading ||
    cleanLine(article?.title ?? '') ||
    pageTitle ||
    titleFromFilename(input.filename);
  return buildArticle({
    title,
    body: htmlToMarkdown(content),
    sourceType: 'html',
    origin: input.filename,
    language: language ?? normalizeLanguage(article?.lang),
  });
}

/**
 * A whole document even from a fragment or bare text: linkedom builds no <html> element for
 * those (and its `body` getter then throws), so they are parsed again inside a page skeleton.
 */
function parseDocument(html: string) {
  const { document } = parseHTML(html);
  if (document.documentElement?.tagName === 'HTML') return document;
  return parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`).document;
}

/** Readability's pick of the page, or null when it cannot make sense of the markup at all. */
function readMainContent(html: string) {
  try {
    return new Readability(parseDocument(html) as unknown as Document).parse();
  } catch {
    return null;
  }
}

function htmlText(html: string): string {
  return (
    parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body?.textContent ?? ''
  );
}

/** Links in a fetched page are made absolute so they still lead somewhere from an answer. */
function absolutizeLinks(document: ReturnType<typeof parseDocument>, origin: string): void {
  if (!URL.canParse(origin)) return;
  for (const link of document.querySelectorAll('a[href]')) {
    const href = link.getAttribute('href') ?? '';
    if (href.startsWith('#')) continue;
    try {
      link.setAttribute('href', new URL(href, origin).href);
    } catch {
      link.removeAttribute('href');
    }
  }
}

/** `<meta charset="…">` within the first KiB, for pages served without a charset header. */
function sniffCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const charset = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  return charset ? `text/html; charset=${charset}` : undefined;
}
