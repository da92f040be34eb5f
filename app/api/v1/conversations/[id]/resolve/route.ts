import { resolveFromApi } from '@/lib/api/conversation-actions';
import { resolveBody } from '@/lib/api/schemas';
import { TandemError } from '@/lib/errors';
import { apiRoute, isUuid } from '../../../api-route';

export const POST = apiRoute(
  { scope: 'write', params: ['id'], body: resolveBody, bodyOptional: true },
  async ({ app, caller, params, body }) => {
    if (!isUuid(params.id))
      throw new TandemError('not_found:conversation', 'No conversation has that id.');
    return Response.json(await resolveFromApi(app, params.id, body, caller));
  },
);
