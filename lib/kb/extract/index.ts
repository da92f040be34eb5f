import { TandemError } from '@/lib/errors';
import type { Article } from '@/lib/kb/article';
import { baseName, type ExtractInput } from './build-article';
import { extractDocx } from './docx';
import { extractHtml } from './html';
import { extractMarkdown } from './markdown';
import { extractPdf } from './pdf';
import { extractPlainText } from './text';

export { type ExtractInput, NoReadableTextError, slugify } from './build-article';

export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf' | 'docx';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The media types an upload form or HTTP `Accept` header can list. */
export const SUPPORTED_MEDIA_TYPES = [
  'text/markdown',
  'text/plain',
  'text/html',
  'application/pdf',
  DOCX_TYPE,
] as const;

const byMediaType: Record<string, DocumentFormat> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  [DOCX_TYPE]: 'docx',
};

const byExtension: Record<string, DocumentFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
};

/** Formats recognisable by their first bytes that Tandem cannot read, named so the user knows why. */
const UNSUPPORTED_SIGNATURES: [number[], string][] = [
  [
    [0xd0, 0xcf, 0x11, 0xe0],
    'Word 97–2003 (.doc) and other legacy Office files are not supported; save it as .docx',
  ],
  [[0x89, 0x50, 0x4e, 0x47], 'images cannot be added to the knowledge base'],
  [[0xff, 0xd8, 0xff], 'images cannot be added to the knowledge base'],
  [[0x47, 0x49, 0x46, 0x38], 'images cannot be added to the knowledge base'],
];

const extractors: Record<DocumentFormat, (input: ExtractInput) => Article | Promise<Article>> = {
  markdown: extractMarkdown,
  text: extractPlainText,
  html: extractHtml,
  pdf: extractPdf,
  docx: extractDocx,
};

/**
 * Turns an uploaded or downloaded file into an Article. The format is decided by the bytes
 * first (a PDF is a PDF whatever its name), then the declared media type, then the extension,
 * and finally by sniffing for text; a file that claims a format it does not have is reported
 * as damaged by that format's reader.
 */
export async function extractDocument(input: ExtractInput): Promise<Article> {
  if (input.bytes.length === 0) {
    throw new TandemError('bad_request:kb', `${baseName(input.filename)} is empty.`);
  }
  const format = detectFormat(input);
  return extractors[format](input);
}

export function detectFormat({ filename, mediaType, bytes }: ExtractInput): DocumentFormat {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && containsAscii(bytes, 'word/document.xml')) {
    return 'docx';
  }
  const name = baseName(filename);
  const essence = mediaType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const declared = byMediaType[essence] ?? byExtension[extension];
  if (declared) return declared;

  for (const [signature, reason] of UNSUPPORTED_SIGNATURES) {
    if (startsWith(bytes, signature)) {
      throw new TandemError('unsupported_media_type:kb', `${name} is not supported: ${reason}.`);
    }
  }
  const genericType = essence === '' || essence === 'application/octet-stream';
  if ((genericType || essence.startsWith('text/')) && looksLikeText(bytes)) {
    return looksLikeHtml(bytes) ? 'html' : 'text';
  }
  throw new TandemError(
    'unsupported_media_type:kb',
    `${name} is not a supported document (${essence || extension || 'unknown type'}). Upload Markdown, plain text, HTML, PDF or DOCX.`,
  );
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

function containsAscii(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(text, 0, 'latin1');
}

/** Text has no NUL bytes and decodes as UTF-8 (or carries a UTF-16 byte-order mark). */
function looksLikeText(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return true;
  }
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return false;
  try {
    // A multi-byte character cut at the sample's end is not a reason to reject the file.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 1024)).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}
