import { resolveFromApi } from '@/lib/api/conversation-actions';
import { resolveBody } from '@/lib/api/schemas';
import { TandemError } from '@/lib/errors';
import { apiRoute, isUuid, optionalJson } from '../../../api-route';

export const POST = apiRoute<{ id: string }>('write', async ({ app, caller, request, params }) => {
  if (!isUuid(params.id))
    throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const body = await optionalJson(request, resolveBody);
  return Response.json(await resolveFromApi(app, params.id, body, caller));
});
