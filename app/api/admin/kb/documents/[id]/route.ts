import { editDocument, getDocumentOrThrow, removeDocument } from '@/lib/kb/manage-documents';
import { getDocumentListing } from '@/lib/kb/queries';
import { staffRoute } from '../../../../staff-route';
import { documentEditFields } from '../../schemas';

/** Markdown articles can be long; 1 MB of text is far beyond any help article. */
const EDIT_MAX_BYTES = 1024 * 1024 + 16 * 1024;

export const GET = staffRoute(
  { role: 'admin', surface: 'kb', params: ['id'] },
  async ({ app, params }) => {
    const document = await getDocumentOrThrow(app, params.id);
    const listing = await getDocumentListing(app.database.db, document.id);
    return Response.json({ document: { ...listing, content: document.content } });
  },
);

export const PATCH = staffRoute(
  {
    role: 'admin',
    surface: 'kb',
    params: ['id'],
    body: documentEditFields,
    maxBytes: EDIT_MAX_BYTES,
  },
  async ({ app, params, body }) => {
    await getDocumentOrThrow(app, params.id);
    const document = await editDocument(app, params.id, body);
    const listing = await getDocumentListing(app.database.db, document.id);
    return Response.json({ document: { ...listing, content: document.content } });
  },
);

export const DELETE = staffRoute(
  { role: 'admin', surface: 'kb', params: ['id'] },
  async ({ app, params }) => {
    await removeDocument(app, params.id);
    return new Response(null, { status: 204 });
  },
);
