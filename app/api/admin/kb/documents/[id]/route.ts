import { editDocument, getDocumentOrThrow, removeDocument } from '@/lib/kb/manage-documents';
import { getDocumentListing } from '@/lib/kb/queries';
import { readJsonBody } from '../../../../read-json-body';
import { staffRoute } from '../../../../staff-route';
import { documentEditFields } from '../../schemas';

/** Markdown articles can be long; 1 MB of text is far beyond any help article. */
const EDIT_MAX_BYTES = 1024 * 1024 + 16 * 1024;

export const GET = staffRoute<{ id: string }>('admin', async ({ app, params }) => {
  const document = await getDocumentOrThrow(app, params.id);
  const listing = await getDocumentListing(app.database.db, document.id);
  return Response.json({ document: { ...listing, content: document.content } });
});

export const PATCH = staffRoute<{ id: string }>('admin', async ({ app, request, params }) => {
  await getDocumentOrThrow(app, params.id);
  const edit = await readJsonBody(request, documentEditFields, {
    surface: 'kb',
    maxBytes: EDIT_MAX_BYTES,
  });
  const document = await editDocument(app, params.id, edit);
  const listing = await getDocumentListing(app.database.db, document.id);
  return Response.json({ document: { ...listing, content: document.content } });
});

export const DELETE = staffRoute<{ id: string }>('admin', async ({ app, params }) => {
  await removeDocument(app, params.id);
  return new Response(null, { status: 204 });
});
