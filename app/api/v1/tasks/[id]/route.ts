import { TandemError } from '@/lib/errors';
import { getApiTask } from '@/lib/turn/async-api-message';
import { apiRoute, isUuid } from '../../api-route';

/** GET /api/v1/tasks/{id} — an async message's state: pending, running, completed (with the result) or failed. */
export const GET = apiRoute({ scope: 'read', params: ['id'] }, async ({ app, caller, params }) => {
  if (!isUuid(params.id))
    throw new TandemError('not_found:task', 'No task of this key has that id.');
  return Response.json(await getApiTask(app.database.db, { id: params.id, keyId: caller.keyId }));
});
