import { deleteApiDocument } from '@/app/api/v1/_lib/knowledge';
import { TandemError } from '@/lib/errors';
import { apiRoute, isUuid } from '../../../api-route';

export const DELETE = apiRoute({ scope: 'write', params: ['id'] }, async ({ app, params }) => {
  if (!isUuid(params.id)) throw new TandemError('not_found:document', 'No document has that id.');
  await deleteApiDocument(app, params.id);
  return new Response(null, { status: 204 });
});
