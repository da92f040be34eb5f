import { unzipSync } from 'fflate';
import { TandemError } from '@/lib/errors';
import { downloadDocument, type FetchDocumentOptions } from '@/lib/kb/fetch-url';
import type { UploadedFile } from '@/lib/kb/ingest';

/*
 * A help center brought in whole: the documents inside a zip (an export of Markdown or HTML
 * pages, say), or the pages a sitemap lists. Each becomes an UploadedFile or an address for the
 * usual one-document ingestion (lib/kb/manage-documents.ts), so an imported article is checked,
 * read and indexed exactly as an uploaded one.
 */

/** Names of documents the knowledge base reads; anything else in an archive is skipped. */
const DOCUMENT_EXTENSIONS = /\.(md|markdown|txt|html?|pdf|docx)$/i;
export const MAX_ARCHIVE_FILES = 500;
export const MAX_SITEMAP_PAGES = 200;

export interface ArchiveContents {
  files: UploadedFile[];
  /** Entries left out (folders excepted): not a document, or hidden. */
  skipped: string[];
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03;
}

/**
 * The documents in a zip archive, each at most `maxFileBytes` and all together at most
 * `maxTotalBytes` uncompressed. Sizes are checked against what the archive declares before
 * anything is inflated, and against what was inflated after, so a zip bomb is refused.
 */
export function readArchive(
  bytes: Uint8Array,
  limits: { maxFileBytes: number; maxTotalBytes: number },
): ArchiveContents {
  if (!isZip(bytes)) {
    throw new TandemError('unsupported_media_type:kb', 'The file is not a zip archive.');
  }
  const skipped: string[] = [];
  let declaredTotal = 0;
  let tooLarge: string | null = null;
  let count = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        const name = file.name;
        if (name.endsWith('/')) return false;
        const base = name.split('/').pop() ?? name;
        if (
          name.startsWith('__MACOSX/') ||
          base.startsWith('.') ||
          !DOCUMENT_EXTENSIONS.test(base)
        ) {
          skipped.push(name);
          return false;
        }
        count++;
        declaredTotal += file.originalSize;
        if (file.originalSize > limits.maxFileBytes) tooLarge ??= name;
        // Nothing is inflated once a limit is passed; the error below names it.
        return (
          tooLarge === null && count <= MAX_ARCHIVE_FILES && declaredTotal <= limits.maxTotalBytes
        );
      },
    });
  } catch (error) {
    throw new TandemError(
      'bad_request:kb',
      `The zip archive could not be read (${(error as Error).message}).`,
    );
  }
  if (tooLarge) {
    throw new TandemError(
      'payload_too_large:kb',
      `${tooLarge} in the archive is larger than the ${formatMegabytes(limits.maxFileBytes)} limit for one document.`,
    );
  }
  if (count > MAX_ARCHIVE_FILES) {
    throw new TandemError(
      'payload_too_large:kb',
      `The archive holds ${count} documents; import at most ${MAX_ARCHIVE_FILES} at a time.`,
    );
  }
  const files = Object.entries(entries)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([filename, content]) => ({ filename, bytes: content }));
  const inflated = files.reduce((sum, file) => sum + file.bytes.length, 0);
  if (declaredTotal > limits.maxTotalBytes || inflated > limits.maxTotalBytes) {
    throw new TandemError(
      'payload_too_large:kb',
      `The archive's documents come to more than ${formatMegabytes(limits.maxTotalBytes)} uncompressed.`,
    );
  }
  if (files.length === 0) {
    throw new TandemError(
      'bad_request:kb',
      'The archive holds no Markdown, HTML, text, PDF or Word documents.',
    );
  }
  return { files, skipped };
}

/** The page addresses a sitemap lists (`<url><loc>`), and the sitemaps a sitemap index lists. */
export function parseSitemap(xml: string): { pages: string[]; sitemaps: string[] } {
  const locs = (block: string) =>
    [...xml.matchAll(new RegExp(`<${block}\\b[^>]*>[\\s\\S]*?<loc>\\s*([^<\\s]+)\\s*</loc>`, 'gi'))]
      .map((m) => decodeXml(m[1]!))
      .filter((url) => /^https?:\/\//i.test(url));
  return { pages: [...new Set(locs('url'))], sitemaps: [...new Set(locs('sitemap'))] };
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * The pages of a site's sitemap (following one level of sitemap index), on the sitemap's own
 * host only, at most MAX_SITEMAP_PAGES. Fetched with the knowledge base's address guard.
 */
export async function readSitemap(url: string, options: FetchDocumentOptions): Promise<string[]> {
  const host = new URL(url).host;
  const fetchXml = async (address: string) =>
    new TextDecoder().decode((await downloadDocument(address, options)).bytes);
  const first = parseSitemap(await fetchXml(url));
  const pages = [...first.pages];
  for (const nested of first.sitemaps.filter((s) => new URL(s).host === host).slice(0, 20)) {
    if (pages.length >= MAX_SITEMAP_PAGES) break;
    pages.push(...parseSitemap(await fetchXml(nested)).pages);
  }
  const sameSite = [...new Set(pages)].filter((page) => new URL(page).host === host);
  if (sameSite.length === 0) {
    throw new TandemError(
      'bad_request:url',
      `${url} lists no pages on ${host}; give the address of a sitemap such as https://help.example.com/sitemap.xml.`,
    );
  }
  return sameSite.slice(0, MAX_SITEMAP_PAGES);
}

function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
