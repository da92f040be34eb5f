import type { Article } from '@/lib/kb/article';
import {
  buildArticle,
  cleanLine,
  decodeText,
  type ExtractInput,
  titleFromFilename,
} from './build-article';

/** A first line this short, followed by a blank line, reads as a title rather than a sentence. */
const TITLE_MAX_CHARS = 100;

/** Plain text: a short first line set apart by a blank line is the title; paragraphs are kept. */
export function extractPlainText(input: ExtractInput): Article {
  const text = decodeText(input.bytes, input.mediaType).replace(/\r\n?/g, '\n').trim();
  const [firstLine = '', ...rest] = text.split('\n');
  const looksLikeTitle =
    firstLine.trim().length > 0 &&
    firstLine.length <= TITLE_MAX_CHARS &&
    !/[.!?:;,]$/.test(firstLine.trim()) &&
    rest[0]?.trim() === '' &&
    // A file of one line is all body: taking it as the title would leave nothing to read.
    rest.some((line) => line.trim() !== '');
  const title = looksLikeTitle ? cleanLine(firstLine) : titleFromFilename(input.filename);
  const body = looksLikeTitle ? rest.join('\n') : text;
  return buildArticle({
    title,
    body: escapeMarkdownHeadings(body),
    sourceType: 'text',
    origin: input.filename,
  });
}

/** A text line like "# of seats" must not be read as a heading by the Markdown chunker. */
function escapeMarkdownHeadings(text: string): string {
  return text.replace(/^(\s{0,3})(#{1,6})(\s)/gm, '$1\\$2$3');
}
