import { getApiConversation } from '@/app/api/v1/_lib/conversations';
import { TandemError } from '@/lib/errors';
import { apiRoute, isUuid } from '../../api-route';

export const GET = apiRoute({ scope: 'read', params: ['id'] }, async ({ app, params }) => {
  if (!isUuid(params.id))
    throw new TandemError('not_found:conversation', 'No conversation has that id.');
  return Response.json(await getApiConversation(app.database.db, params.id));
});
