import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { rowsOf } from '@/db/client';
import type { AppContext } from '@/lib/context';
import type { Article } from '@/lib/kb/article';
import { slugify } from '@/lib/kb/extract';
import { addDocument, readUpload, readUrl, removeDocument } from '@/lib/kb/manage-documents';
import { type DocumentListing, searchDocuments } from '@/lib/kb/queries';
import type { kbDocumentBody, kbSearchBody } from './schemas';

export function documentJson(d: DocumentListing) {
  return {
    id: d.id,
    slug: d.slug,
    title: d.title,
    summary: d.summary,
    category: d.category,
    language: d.language,
    source_type: d.sourceType,
    origin: d.origin,
    chunks: d.chunks,
    characters: d.characters,
    updated_at: d.updatedAt.toISOString(),
    url: `/kb/${d.slug}`,
  };
}

export async function listApiDocuments(app: AppContext, query: string) {
  const { documents, total } = await searchDocuments(app.database.db, { query });
  return { data: documents.map(documentJson), total };
}

/** A document from a file, a web address, or Markdown text; indexed before the call returns. */
export async function addApiDocument(
  app: AppContext,
  input:
    | { file: { filename: string; mediaType?: string; bytes: Uint8Array }; category?: string }
    | z.infer<typeof kbDocumentBody>,
) {
  let article: Article;
  if ('file' in input) article = await readUpload(input.file, app.config.kb.maxUploadBytes);
  else if ('url' in input) article = await readUrl(app, input.url);
  else {
    article = await readUpload(
      {
        filename: `${slugify(input.title)}.md`,
        mediaType: 'text/markdown',
        bytes: new TextEncoder().encode(`# ${input.title}\n\n${input.content}`),
      },
      app.config.kb.maxUploadBytes,
    );
  }
  const category = input.category;
  const added = await addDocument(app, category ? { ...article, category } : article);
  const { documents } = await searchDocuments(app.database.db, { query: added.document.slug });
  const listing = documents.find((d) => d.id === added.document.id)!;
  return { document: documentJson(listing), changed: added.changed, replaced: added.replaced };
}

export const deleteApiDocument = (app: AppContext, id: string) => removeDocument(app, id);

export async function searchApiKb(app: AppContext, body: z.infer<typeof kbSearchBody>) {
  const retrieval = await app.kb.retrieve(body.query, {
    limit: body.limit,
    category: body.category,
  });
  return {
    confidence: retrieval.confidence,
    answerable: retrieval.confidence >= app.config.chat.answerMinConfidence,
    passages: retrieval.passages.map((p) => ({
      document_id: p.documentId,
      slug: p.slug,
      title: p.title,
      section: p.sectionPath || null,
      content: p.content,
      score: p.score,
    })),
  };
}

export async function kbStats(app: AppContext) {
  const [row] = rowsOf<Record<string, unknown>>(
    await app.database.db.execute(sql`select
      (select count(*)::int from kb_documents) as documents,
      (select count(*)::int from kb_chunks) as chunks,
      (select coalesce(sum(char_length(content)), 0)::bigint from kb_documents) as characters,
      (select max(updated_at) from kb_documents) as last_updated`),
  );
  const byCategory = rowsOf<{ category: string; n: number }>(
    await app.database.db.execute(
      sql`select coalesce(category, 'uncategorised') as category, count(*)::int as n from kb_documents group by 1 order by 2 desc, 1`,
    ),
  );
  return {
    documents: Number(row?.documents ?? 0),
    chunks: Number(row?.chunks ?? 0),
    characters: Number(row?.characters ?? 0),
    last_updated: row?.last_updated ? new Date(String(row.last_updated)).toISOString() : null,
    by_category: Object.fromEntries(byCategory.map((c) => [c.category, Number(c.n)])),
    vector_store: app.vectors.kind,
  };
}
