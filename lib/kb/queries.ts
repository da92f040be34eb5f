import { asc, count, eq, max } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { kbChunks, kbDocuments } from '@/db/schema';
import type { Article } from './article';
import { hashText } from './article';
import { type ChunkOptions, chunkMarkdown } from './chunk';

export type KbDocument = typeof kbDocuments.$inferSelect;

export interface IndexedChunk {
  id: string;
  documentId: string;
  slug: string;
  title: string;
  category: string | null;
  sectionPath: string;
  content: string;
}

/** Creates or replaces a document and its chunks in one transaction; unchanged content is a no-op. */
export async function upsertArticle(
  db: Database,
  article: Article,
  options?: ChunkOptions,
): Promise<{ document: KbDocument; changed: boolean }> {
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(kbDocuments)
      .where(eq(kbDocuments.slug, article.slug))
      .for('update');
    if (existing && existing.contentHash === article.contentHash) {
      return { document: existing, changed: false };
    }
    const values = {
      slug: article.slug,
      title: article.title,
      summary: article.summary ?? null,
      category: article.category ?? null,
      language: article.language,
      sourceType: 'markdown',
      content: article.body,
      contentHash: article.contentHash,
      metadata: article.updated ? { updated: article.updated.toISOString().slice(0, 10) } : {},
      updatedAt: new Date(),
    };
    const [document] = existing
      ? await tx.update(kbDocuments).set(values).where(eq(kbDocuments.id, existing.id)).returning()
      : await tx.insert(kbDocuments).values(values).returning();
    if (!document) throw new Error(`Could not store article ${article.slug}`);

    await tx.delete(kbChunks).where(eq(kbChunks.documentId, document.id));
    const chunks = chunkMarkdown(article.body, options);
    if (chunks.length > 0) {
      await tx.insert(kbChunks).values(
        chunks.map((chunk, ordinal) => ({
          documentId: document.id,
          ordinal,
          sectionPath: chunk.sectionPath,
          content: chunk.content,
          contentHash: hashText(chunk.content),
        })),
      );
    }
    return { document, changed: true };
  });
}

export async function getDocumentBySlug(db: Database, slug: string): Promise<KbDocument | null> {
  const [document] = await db.select().from(kbDocuments).where(eq(kbDocuments.slug, slug));
  return document ?? null;
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
