import { TandemError } from '@/lib/errors';
import type { Article } from '@/lib/kb/article';
import { extractDocument, slugify } from '@/lib/kb/extract';
import { baseName } from '@/lib/kb/extract/build-article';
import { type FetchDocumentOptions, fetchDocument } from '@/lib/kb/fetch-url';
import type { KbDocument, KnowledgeBase } from '@/lib/kb/types';

export interface IngestProgress {
  stage: 'extracting' | 'chunking' | 'embedding' | 'storing' | 'done';
  done: number;
  total: number;
}

export interface IngestOptions {
  onProgress?: (progress: IngestProgress) => void;
  /** Files the document under this category, overriding any category in its front matter. */
  category?: string;
  /**
   * Overrides the slug derived from the title. Indexing replaces the document with the same slug,
   * so a caller that must keep two documents with the same title passes a unique one here.
   */
  slug?: string;
}

export interface IngestFileOptions extends IngestOptions {
  /** Largest upload accepted. */
  maxBytes?: number;
}

export type IngestUrlOptions = IngestOptions & FetchDocumentOptions;

export interface UploadedFile {
  filename: string;
  mediaType?: string;
  bytes: Uint8Array;
}

export interface IngestResult {
  document: KbDocument;
  changed: boolean;
}

export const DEFAULT_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** Extracts an uploaded file and indexes it; `changed` is false when its content was already there. */
export async function ingestFile(
  kb: KnowledgeBase,
  file: UploadedFile,
  options: IngestFileOptions = {},
): Promise<IngestResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_FILE_MAX_BYTES;
  if (file.bytes.length > maxBytes) {
    throw new TandemError(
      'payload_too_large:kb',
      `${baseName(file.filename)} is ${formatMegabytes(file.bytes.length)}; files up to ${formatMegabytes(maxBytes)} can be added.`,
    );
  }
  return ingest(kb, () => extractDocument(file), options);
}

/** Fetches a web page or document (public addresses only, unless allowed) and indexes it. */
export async function ingestUrl(
  kb: KnowledgeBase,
  url: string,
  options: IngestUrlOptions = {},
): Promise<IngestResult> {
  return ingest(kb, () => fetchDocument(url, options), options);
}

async function ingest(
  kb: KnowledgeBase,
  extract: () => Promise<Article>,
  { onProgress, category, slug }: IngestOptions,
): Promise<IngestResult> {
  onProgress?.({ stage: 'extracting', done: 0, total: 1 });
  const extracted = await extract();
  onProgress?.({ stage: 'extracting', done: 1, total: 1 });
  const article: Article = {
    ...extracted,
    ...(category ? { category } : {}),
    ...(slug ? { slug: slugify(slug) } : {}),
  };
  return kb.indexArticle(article, { onProgress });
}

function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
