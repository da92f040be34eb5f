import { reindexDocument } from '@/lib/kb/manage-documents';
import { getDocumentListing } from '@/lib/kb/queries';
import { staffRoute } from '../../../../../staff-route';

export const POST = staffRoute(
  { role: 'admin', surface: 'kb', params: ['id'] },
  async ({ app, params }) => {
    const document = await reindexDocument(app, params.id);
    return Response.json({ document: await getDocumentListing(app.database.db, document.id) });
  },
);
