import { escalateFromApi } from '@/lib/api/conversation-actions';
import { escalateBody } from '@/lib/api/schemas';
import { TandemError } from '@/lib/errors';
import { apiRoute, isUuid, optionalJson } from '../../../api-route';

export const POST = apiRoute<{ id: string }>('write', async ({ app, caller, request, params }) => {
  if (!isUuid(params.id))
    throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const body = await optionalJson(request, escalateBody);
  return Response.json(await escalateFromApi(app, params.id, body, caller));
});
