import { extractTextItems, getDocumentProxy, getMeta, type StructuredTextItem } from 'unpdf';
import { TandemError } from '@/lib/errors';
import type { Article } from '@/lib/kb/article';
import {
  buildArticle,
  cleanLine,
  type ExtractInput,
  normalizeLanguage,
  titleFromFilename,
  unreadable,
} from './build-article';

interface Line {
  text: string;
  y: number;
  fontSize: number;
}

/** Vertical distance between baselines, in font sizes, beyond which a new paragraph starts. */
const PARAGRAPH_GAP = 1.6;
/** How much larger than body text a short line must be to count as a heading. */
const HEADING_SCALE = 1.2;
const HEADING_MAX_CHARS = 120;
/** Producers that put their own name or the source file name into the Title field. */
const JUNK_TITLE = /^(untitled|microsoft word - .*|.*\.(docx?|pdf|txt|rtf|odt))$/i;

/**
 * A PDF's text layer as Markdown. PDF has no paragraphs or headings, only positioned glyph runs,
 * so both are rebuilt from layout: blank vertical space separates paragraphs, and short lines set
 * in a larger font than the body become headings, which keeps chunking section-aware.
 */
export async function extractPdf(input: ExtractInput): Promise<Article> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js may take ownership of the buffer it is given, so it gets a copy.
    pdf = await getDocumentProxy(new Uint8Array(input.bytes), { verbosity: 0 });
  } catch (error) {
    throw unreadable(input.filename, 'PDF', pdfFailureReason(error));
  }
  try {
    const [{ info }, { items }] = await Promise.all([getMeta(pdf), extractTextItems(pdf)]);
    const pages = items.map(toLines);
    const repeated = repeatedLines(pages);
    const lines = pages.flatMap((page) => [
      ...page.filter(
        (line, index) =>
          !repeated.has(line.text) &&
          // Only at the top or bottom of a page is a lone number a page number, not a table cell.
          !((index === 0 || index === page.length - 1) && isPageNumber(line.text)),
      ),
      null,
    ]);
    const body = toMarkdown(lines);
    if (!body.trim()) {
      throw unreadable(
        input.filename,
        'PDF',
        'it has no selectable text (scanned pages need OCR before they can be added).',
      );
    }
    const metaTitle = typeof info.Title === 'string' ? cleanLine(info.Title) : '';
    const firstLine = lines.find((line): line is Line => line !== null)?.text ?? '';
    const title =
      (JUNK_TITLE.test(metaTitle) ? '' : metaTitle) ||
      (firstLine.length <= HEADING_MAX_CHARS ? firstLine.replace(/[.:]$/, '') : '') ||
      titleFromFilename(input.filename);
    return buildArticle({
      title,
      body,
      sourceType: 'pdf',
      origin: input.filename,
      language: normalizeLanguage(typeof info.Language === 'string' ? info.Language : undefined),
    });
  } catch (error) {
    if (error instanceof TandemError) throw error;
    throw unreadable(input.filename, 'PDF', pdfFailureReason(error));
  } finally {
    await pdf.destroy();
  }
}

function pdfFailureReason(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return 'it is password-protected. Remove the password and upload it again.';
  }
  return 'the file is damaged or is not a PDF.';
}

/** Glyph runs → lines: a run joins the current line until an end-of-line or a baseline change. */
function toLines(items: StructuredTextItem[]): Line[] {
  const lines: Line[] = [];
  let current: (Line & { endX: number }) | null = null;
  for (const item of items) {
    const size = item.fontSize || item.height || 1;
    if (current && Math.abs(item.y - current.y) > size * 0.5) {
      lines.push(current);
      current = null;
    }
    if (item.str) {
      if (!current) {
        current = { text: item.str, y: item.y, fontSize: size, endX: item.x + item.width };
      } else {
        // Runs often abut without a space glyph; a visible gap means a word break.
        const gap = item.x - current.endX;
        const needsSpace = gap > size * 0.15 && !/\s$/.test(current.text) && !/^\s/.test(item.str);
        current.text += (needsSpace ? ' ' : '') + item.str;
        current.fontSize = Math.max(current.fontSize, size);
        current.endX = item.x + item.width;
      }
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines
    .map((line) => ({ text: cleanLine(line.text), y: line.y, fontSize: line.fontSize }))
    .filter((line) => line.text);
}

/** Running headers and footers repeat on most pages and would pollute every chunk. */
function repeatedLines(pages: Line[][]): Set<string> {
  if (pages.length < 3) return new Set();
  const pagesWith = new Map<string, number>();
  for (const page of pages) {
    for (const text of new Set(page.map((line) => line.text))) {
      pagesWith.set(text, (pagesWith.get(text) ?? 0) + 1);
    }
  }
  return new Set(
    [...pagesWith].filter(([, count]) => count > pages.length / 2).map(([text]) => text),
  );
}

function isPageNumber(text: string): boolean {
  return /^(page\s+)?\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i.test(text);
}

/** `null` marks a page break, which always ends a paragraph. */
function toMarkdown(lines: (Line | null)[]): string {
  const bodySize = dominantFontSize(lines.filter((line): line is Line => line !== null));
  const headingSizes = [
    ...new Set(
      lines
        .filter((line): line is Line => line !== null && isHeading(line, bodySize))
        .map((line) => roundSize(line.fontSize)),
    ),
  ].sort((a, b) => b - a);

  const blocks: string[] = [];
  let paragraph: string[] = [];
  let previous: Line | null = null;
  const flush = () => {
    if (paragraph.length) blocks.push(joinLines(paragraph));
    paragraph = [];
  };
  for (const line of lines) {
    if (!line) {
      flush();
      previous = null;
      continue;
    }
    if (isHeading(line, bodySize)) {
      flush();
      const level = Math.min(headingSizes.indexOf(roundSize(line.fontSize)) + 1, 6);
      blocks.push(`${'#'.repeat(level)} ${line.text}`);
      previous = null;
      continue;
    }
    const gap = previous ? previous.y - line.y : 0;
    const startsListItem = /^[•▪◦●‣–-]\s+/.test(line.text);
    if (previous && (gap > line.fontSize * PARAGRAPH_GAP || gap < 0 || startsListItem)) flush();
    paragraph.push(line.text.replace(/^[•▪◦●‣–]\s*/, '- '));
    previous = line;
  }
  flush();
  return blocks.join('\n\n');
}

function isHeading(line: Line, bodySize: number): boolean {
  return (
    line.fontSize >= bodySize * HEADING_SCALE &&
    line.text.length <= HEADING_MAX_CHARS &&
    !/[.,;]$/.test(line.text)
  );
}

/** The font size carrying the most characters is the body text size. */
function dominantFontSize(lines: Line[]): number {
  const weight = new Map<number, number>();
  for (const line of lines) {
    const size = roundSize(line.fontSize);
    weight.set(size, (weight.get(size) ?? 0) + line.text.length);
  }
  return [...weight].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

/** A line ending in a hyphen continues the word on the next line. */
function joinLines(lines: string[]): string {
  return lines.reduce((text, line) => (text.endsWith('-') ? text + line : `${text} ${line}`));
}
