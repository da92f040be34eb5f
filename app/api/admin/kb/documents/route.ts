import type { AppContext } from '@/lib/context';
import type { Article } from '@/lib/kb/article';
import { addDocument, readUpload, readUrl } from '@/lib/kb/manage-documents';
import { getDocumentListing, searchDocuments } from '@/lib/kb/queries';
import { readUploadForm } from '../../../read-upload';
import { staffRoute } from '../../../staff-route';
import { progressResponse } from '../progress-stream';
import { addUrlFields, listQuery } from '../schemas';

export const GET = staffRoute(
  { role: 'admin', surface: 'kb', query: listQuery },
  async ({ app, query }) =>
    Response.json(await searchDocuments(app.database.db, { query: query.q })),
);

/**
 * Adds one document: a file (multipart field `file`) or a web address (JSON `{ url }`). The
 * input is read and checked first, so bad input gets its 4xx status; indexing progress then
 * streams back as NDJSON, ending with the stored document or an error.
 */
export const POST = staffRoute(
  { role: 'admin', surface: 'kb', accepts: 'multipart', body: addUrlFields },
  async ({ app, request, body }) => {
    const article = await readDocument(app, request, body);
    return progressResponse(async (report) => {
      report({ stage: 'extracting', done: 1, total: 1 });
      const added = await addDocument(app, article, report);
      return {
        document: await getDocumentListing(app.database.db, added.document.id),
        changed: added.changed,
        replaced: added.replaced,
      };
    });
  },
);

/** The uploaded file or the fetched page as an article, filed under the category asked for. */
async function readDocument(
  app: AppContext,
  request: Request,
  json: { url: string; category?: string | null } | undefined,
): Promise<Article> {
  const maxBytes = app.config.kb.maxUploadBytes;
  let article: Article;
  let category: string | null | undefined;
  if (json) {
    article = await readUrl(app, json.url);
    category = json.category;
  } else {
    const upload = await readUploadForm(request, maxBytes);
    article = await readUpload(upload.file, maxBytes);
    category = upload.category;
  }
  return category ? { ...article, category } : article;
}
