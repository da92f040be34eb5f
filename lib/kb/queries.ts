import { asc, count, desc, eq, ilike, max, or, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { appSettings, kbChunks, kbDocuments } from '@/db/schema';
import type { Article } from './article';
import { hashText } from './article';
import { type Chunk, type ChunkOptions, chunkMarkdown } from './chunk';

export type KbDocument = typeof kbDocuments.$inferSelect;

export interface IndexedChunk {
  id: string;
  documentId: string;
  slug: string;
  title: string;
  category: string | null;
  sectionPath: string;
  content: string;
  language?: string;
}

/** Creates or replaces a document and its chunks in one transaction; unchanged content is a no-op. */
export async function upsertArticle(
  db: Database,
  article: Article,
  options?: ChunkOptions,
): Promise<{ document: KbDocument; changed: boolean }> {
  const { document, changed } = await replaceArticle(
    db,
    article,
    chunkMarkdown(article.body, options),
  );
  return { document, changed };
}

/** Whether a stored document already holds this article exactly (text and filing). */
export function isUnchanged(existing: KbDocument, article: Article): boolean {
  return (
    existing.contentHash === article.contentHash &&
    existing.category === (article.category ?? null) &&
    existing.summary === (article.summary ?? null) &&
    existing.language === article.language
  );
}

/**
 * Stores an article with chunks the caller already cut, in one transaction, and returns the new
 * chunk rows so their vectors can be stored under the same ids. The unchanged check is repeated
 * under the row lock, so two instances indexing the same article do not both replace it.
 */
export async function replaceArticle(
  db: Database,
  article: Article,
  chunks: Chunk[],
): Promise<{ document: KbDocument; changed: boolean; chunks: IndexedChunk[] }> {
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(kbDocuments)
      .where(eq(kbDocuments.slug, article.slug))
      .for('update');
    if (existing && isUnchanged(existing, article)) {
      return { document: existing, changed: false, chunks: [] };
    }
    const metadata: Record<string, unknown> = {};
    if (article.updated) metadata.updated = article.updated.toISOString().slice(0, 10);
    if (article.origin) metadata.origin = article.origin;
    const values = {
      slug: article.slug,
      title: article.title,
      summary: article.summary ?? null,
      category: article.category ?? null,
      language: article.language,
      sourceType: article.sourceType ?? 'markdown',
      content: article.body,
      contentHash: article.contentHash,
      metadata,
      updatedAt: new Date(),
    };
    const [document] = existing
      ? await tx.update(kbDocuments).set(values).where(eq(kbDocuments.id, existing.id)).returning()
      : await tx.insert(kbDocuments).values(values).returning();
    if (!document) throw new Error(`Could not store article ${article.slug}`);

    await tx.delete(kbChunks).where(eq(kbChunks.documentId, document.id));
    const rows =
      chunks.length === 0
        ? []
        : await tx
            .insert(kbChunks)
            .values(
              chunks.map((chunk, ordinal) => ({
                documentId: document.id,
                ordinal,
                sectionPath: chunk.sectionPath,
                content: chunk.content,
                contentHash: hashText(chunk.content),
              })),
            )
            .returning({
              id: kbChunks.id,
              sectionPath: kbChunks.sectionPath,
              content: kbChunks.content,
            });
    return {
      document,
      changed: true,
      chunks: rows.map((row) => ({
        ...row,
        documentId: document.id,
        slug: document.slug,
        title: document.title,
        category: document.category,
        language: document.language,
      })),
    };
  });
}

/** Deletes a document; its chunks (and pgvector rows) go with it by foreign key. */
export async function deleteDocumentById(db: Database, documentId: string): Promise<boolean> {
  const deleted = await db
    .delete(kbDocuments)
    .where(eq(kbDocuments.id, documentId))
    .returning({ id: kbDocuments.id });
  return deleted.length > 0;
}

export async function getDocumentBySlug(db: Database, slug: string): Promise<KbDocument | null> {
  const [document] = await db.select().from(kbDocuments).where(eq(kbDocuments.slug, slug));
  return document ?? null;
}

export async function getDocumentById(db: Database, id: string): Promise<KbDocument | null> {
  const [document] = await db.select().from(kbDocuments).where(eq(kbDocuments.id, id));
  return document ?? null;
}

/** A row of the admins' document list: everything but the text itself. */
export interface DocumentListing {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  category: string | null;
  language: string;
  sourceType: string;
  origin: string | null;
  chunks: number;
  characters: number;
  updatedAt: Date;
}

const listingColumns = {
  id: kbDocuments.id,
  slug: kbDocuments.slug,
  title: kbDocuments.title,
  summary: kbDocuments.summary,
  category: kbDocuments.category,
  language: kbDocuments.language,
  sourceType: kbDocuments.sourceType,
  metadata: kbDocuments.metadata,
  characters: sql<number>`char_length(${kbDocuments.content})`.mapWith(Number),
  // Spelled out: in a subquery drizzle leaves column names unqualified, and "id" binds to kb_chunks.
  chunks:
    sql<number>`(select count(*) from "kb_chunks" where "kb_chunks"."document_id" = "kb_documents"."id")`.mapWith(
      Number,
    ),
  updatedAt: kbDocuments.updatedAt,
};

function toListing({
  metadata,
  ...row
}: Omit<DocumentListing, 'origin'> & { metadata: Record<string, unknown> }): DocumentListing {
  return { ...row, origin: typeof metadata.origin === 'string' ? metadata.origin : null };
}

/**
 * Documents whose title, slug, category, summary or text contain `query` (case-insensitive),
 * most recently changed first; every document when the query is empty.
 */
export async function searchDocuments(
  db: Database,
  { query = '', limit = 200 }: { query?: string; limit?: number } = {},
): Promise<{ documents: DocumentListing[]; total: number }> {
  const pattern = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matches = query.trim()
    ? or(
        ilike(kbDocuments.title, pattern),
        ilike(kbDocuments.slug, pattern),
        ilike(kbDocuments.category, pattern),
        ilike(kbDocuments.summary, pattern),
        ilike(kbDocuments.content, pattern),
      )
    : undefined;
  const [rows, [counted]] = await Promise.all([
    db
      .select(listingColumns)
      .from(kbDocuments)
      .where(matches)
      .orderBy(desc(kbDocuments.updatedAt), asc(kbDocuments.title))
      .limit(limit),
    db.select({ total: count() }).from(kbDocuments).where(matches),
  ]);
  return { documents: rows.map(toListing), total: counted?.total ?? rows.length };
}

export async function getDocumentListing(
  db: Database,
  id: string,
): Promise<DocumentListing | null> {
  const [row] = await db.select(listingColumns).from(kbDocuments).where(eq(kbDocuments.id, id));
  return row ? toListing(row) : null;
}

/**
 * Forgets a document's content hash so the next indexing of the same text is not skipped as
 * unchanged: re-indexing re-chunks and re-embeds a document whose text did not change.
 */
export async function clearContentHash(db: Database, id: string): Promise<void> {
  await db.update(kbDocuments).set({ contentHash: '' }).where(eq(kbDocuments.id, id));
}

export async function listDocuments(db: Database) {
  return db
    .select({
      slug: kbDocuments.slug,
      title: kbDocuments.title,
      summary: kbDocuments.summary,
      category: kbDocuments.category,
    })
    .from(kbDocuments)
    .orderBy(asc(kbDocuments.category), asc(kbDocuments.title));
}

export async function listIndexedChunks(db: Database): Promise<IndexedChunk[]> {
  return db
    .select({
      id: kbChunks.id,
      documentId: kbChunks.documentId,
      slug: kbDocuments.slug,
      title: kbDocuments.title,
      category: kbDocuments.category,
      sectionPath: kbChunks.sectionPath,
      content: kbChunks.content,
      language: kbDocuments.language,
    })
    .from(kbChunks)
    .innerJoin(kbDocuments, eq(kbChunks.documentId, kbDocuments.id))
    .orderBy(asc(kbDocuments.slug), asc(kbChunks.ordinal));
}

/** Changes whenever a document is added, edited or deleted, so caches built from the KB know to rebuild. */
export async function getKnowledgeBaseVersion(db: Database): Promise<string> {
  const [row] = await db
    .select({ documents: count(), lastUpdate: max(kbDocuments.updatedAt) })
    .from(kbDocuments);
  return `${row?.documents ?? 0}:${row?.lastUpdate?.valueOf() ?? 0}`;
}

export async function listDocumentIds(db: Database): Promise<string[]> {
  const rows = await db.select({ id: kbDocuments.id }).from(kbDocuments);
  return rows.map((row) => row.id);
}

const EMBEDDER_SETTING = 'kb:embedder';

/** Which embedding model made the stored vectors: vectors of different models are not comparable. */
export async function getStoredEmbedderId(db: Database): Promise<string | null> {
  const [row] = await db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, EMBEDDER_SETTING));
  return typeof row?.value === 'string' ? row.value : null;
}

export async function setStoredEmbedderId(db: Database, embedderId: string): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key: EMBEDDER_SETTING, value: embedderId })
    .onConflictDoUpdate({
      target: appSettings.key,
      set: { value: embedderId, updatedAt: new Date() },
    });
}
