import { parseHTML } from 'linkedom';
import mammoth from 'mammoth';
import type { Article } from '@/lib/kb/article';
import {
  buildArticle,
  cleanLine,
  type ExtractInput,
  titleFromFilename,
  unreadable,
} from './build-article';
import { htmlToMarkdown } from './html';

/**
 * Word's "Title" style is how most authors title a document; mammoth's default map ignores it.
 * Heading 1–6 are already mapped to h1–h6 by mammoth's defaults.
 */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];

/** A Word document via mammoth's semantic HTML (headings, lists, tables), then to Markdown. */
export async function extractDocx(input: ExtractInput): Promise<Article> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(input.bytes) },
      // Linked images and files must never be fetched from disk on the server.
      { styleMap: STYLE_MAP, externalFileAccess: false },
    );
    html = result.value;
  } catch {
    throw unreadable(
      input.filename,
      'a Word document (DOCX)',
      'the file is damaged or is not a .docx file. Older .doc files must be saved as .docx first.',
    );
  }
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const heading = cleanLine(document.querySelector('h1')?.textContent ?? '');
  return buildArticle({
    title: heading || titleFromFilename(input.filename),
    body: htmlToMarkdown(html),
    sourceType: 'docx',
    origin: input.filename,
  });
}
