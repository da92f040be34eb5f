import type { App } from '@/lib/app';
import { invalidInput, TandemError } from '@/lib/errors';
import type { Article } from '@/lib/kb/article';
import { addDocument, readUpload, readUrl } from '@/lib/kb/manage-documents';
import { getDocumentListing, searchDocuments } from '@/lib/kb/queries';
import { readJsonBody } from '../../../read-json-body';
import { readUploadForm } from '../../../read-upload';
import { SMALL_BODY, staffRoute } from '../../../staff-route';
import { progressResponse } from '../progress-stream';
import { addUrlFields, listQuery } from '../schemas';

export const GET = staffRoute('admin', async ({ app, request }) => {
  const parsed = listQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw invalidInput('kb', parsed.error);
  return Response.json(await searchDocuments(app.database.db, { query: parsed.data.q }));
});

/**
 * Adds one document: a file (multipart field `file`) or a web address (JSON `{ url }`). The
 * input is read and checked first, so bad input gets its 4xx status; indexing progress then
 * streams back as NDJSON, ending with the stored document or an error.
 */
export const POST = staffRoute('admin', async ({ app, request }) => {
  const article = await readDocument(app, request);
  return progressResponse(async (report) => {
    report({ stage: 'extracting', done: 1, total: 1 });
    const added = await addDocument(app, article, report);
    return {
      document: await getDocumentListing(app.database.db, added.document.id),
      changed: added.changed,
      replaced: added.replaced,
    };
  });
});

/** The uploaded file or the fetched page as an article, filed under the category asked for. */
async function readDocument(app: App, request: Request): Promise<Article> {
  const type = request.headers.get('content-type') ?? '';
  const maxBytes = app.config.kb.maxUploadBytes;
  let article: Article;
  let category: string | null | undefined;
  if (type.startsWith('multipart/form-data')) {
    const upload = await readUploadForm(request, maxBytes);
    article = await readUpload(upload.file, maxBytes);
    category = upload.category;
  } else if (type.startsWith('application/json')) {
    const input = await readJsonBody(request, addUrlFields, {
      surface: 'kb',
      maxBytes: SMALL_BODY,
    });
    article = await readUrl(app, input.url);
    category = input.category;
  } else {
    throw new TandemError(
      'unsupported_media_type:kb',
      'Send a file as multipart/form-data (field "file") or a web address as JSON {"url": "…"}.',
    );
  }
  return category ? { ...article, category } : article;
}
