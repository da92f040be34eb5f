import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { type Article, type ArticleSource, hashText } from '@/lib/kb/article';
import { extractDocument } from '@/lib/kb/extract';
import { baseName } from '@/lib/kb/extract/build-article';
import { fetchDocument } from '@/lib/kb/fetch-url';
import type { IngestProgress, UploadedFile } from '@/lib/kb/ingest';
import { log } from '@/lib/log';
import { clearContentHash, getDocumentById, getDocumentBySlug, type KbDocument } from './queries';

export interface AddedDocument {
  document: KbDocument;
  /** False when exactly this content was already in the knowledge base. */
  changed: boolean;
  /** True when a document with the same slug (the same title) was there and is now replaced. */
  replaced: boolean;
}

type OnProgress = (progress: IngestProgress) => void;

/**
 * Reads an uploaded file into an article without storing anything, so a file that is too large,
 * of an unsupported type or damaged is refused before the knowledge base changes.
 */
export async function readUpload(file: UploadedFile, maxBytes: number): Promise<Article> {
  if (file.bytes.length > maxBytes) throw fileTooLarge(baseName(file.filename), maxBytes);
  return extractDocument(file);
}

/** Downloads and reads a web page or document, under the configured address and size limits. */
export async function readUrl(ctx: Pick<AppContext, 'config'>, url: string): Promise<Article> {
  return fetchDocument(url, {
    allowPrivateNetworks: ctx.config.kb.allowPrivateUrls,
    maxBytes: ctx.config.kb.maxUploadBytes,
  });
}

export function fileTooLarge(name: string, maxBytes: number): TandemError {
  return new TandemError(
    'payload_too_large:kb',
    `${name} is too large; files up to ${formatSize(maxBytes)} can be added.`,
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Indexes an article that was read with readUpload or readUrl, replacing the document with the
 * same slug. If indexing fails part-way, a document that did not exist before is removed again,
 * so a failed upload leaves nothing behind.
 */
export async function addDocument(
  ctx: Pick<AppContext, 'database' | 'kb'>,
  article: Article,
  onProgress?: OnProgress,
): Promise<AddedDocument> {
  const before = await getDocumentBySlug(ctx.database.db, article.slug);
  // A new version of a document, uploaded without naming a category, stays where it was filed.
  const filed =
    article.category === undefined && before?.category
      ? { ...article, category: before.category }
      : article;
  try {
    const { document, changed } = await ctx.kb.indexArticle(filed, { onProgress });
    return { document, changed, replaced: before !== null && changed };
  } catch (error) {
    if (!before) {
      const partial = await getDocumentBySlug(ctx.database.db, article.slug);
      if (partial) {
        await ctx.kb.deleteDocument(partial.id).catch((cleanup: unknown) => {
          log.error({ err: cleanup, slug: article.slug }, 'could not remove a half-added document');
        });
      }
    }
    throw error;
  }
}

export async function getDocumentOrThrow(
  ctx: Pick<AppContext, 'database'>,
  id: string,
): Promise<KbDocument> {
  const document = await getDocumentById(ctx.database.db, id);
  if (!document) {
    throw new TandemError(
      'not_found:kb_document',
      'There is no knowledge-base document with that id.',
    );
  }
  return document;
}

export interface DocumentEdit {
  title?: string;
  body?: string;
  category?: string | null;
  summary?: string | null;
}

/**
 * Saves an admin's edit of a document's Markdown and re-indexes it. The slug stays, so links to
 * /kb/<slug> and past citations keep pointing at the document.
 */
export async function editDocument(
  ctx: Pick<AppContext, 'database' | 'kb'>,
  id: string,
  edit: DocumentEdit,
  onProgress?: OnProgress,
): Promise<KbDocument> {
  const current = await getDocumentOrThrow(ctx, id);
  const article = articleFromDocument({
    ...current,
    title: edit.title ?? current.title,
    content: edit.body ?? current.content,
    category: edit.category === undefined ? current.category : edit.category,
    summary: edit.summary === undefined ? current.summary : edit.summary,
  });
  const { document } = await ctx.kb.indexArticle(article, { onProgress });
  return document;
}

/** Cuts a document into passages again and embeds them anew, from its stored text. */
export async function reindexDocument(
  ctx: Pick<AppContext, 'database' | 'kb'>,
  id: string,
  onProgress?: OnProgress,
): Promise<KbDocument> {
  const current = await getDocumentOrThrow(ctx, id);
  await clearContentHash(ctx.database.db, id);
  const { document } = await ctx.kb.indexArticle(articleFromDocument(current), { onProgress });
  return document;
}

/** Removes a document, its passages and their vectors; unknown ids are a 404. */
export async function removeDocument(ctx: Pick<AppContext, 'kb'>, id: string): Promise<void> {
  if (!(await ctx.kb.deleteDocument(id))) {
    throw new TandemError(
      'not_found:kb_document',
      'There is no knowledge-base document with that id.',
    );
  }
}

/** The stored document as the article it was indexed from. */
function articleFromDocument(document: KbDocument): Article {
  const metadata = document.metadata ?? {};
  const updated = typeof metadata.updated === 'string' ? new Date(metadata.updated) : undefined;
  return {
    title: document.title,
    slug: document.slug,
    language: document.language,
    ...(document.category ? { category: document.category } : {}),
    ...(document.summary ? { summary: document.summary } : {}),
    ...(updated && !Number.isNaN(updated.valueOf()) ? { updated } : {}),
    body: document.content,
    contentHash: hashText(`${document.title}\n${document.content}`),
    sourceType: document.sourceType as ArticleSource,
    ...(typeof metadata.origin === 'string' ? { origin: metadata.origin } : {}),
  };
}
