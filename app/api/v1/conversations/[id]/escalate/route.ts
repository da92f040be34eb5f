import { escalateFromApi } from '@/app/api/v1/_lib/conversation-actions';
import { escalateBody } from '@/app/api/v1/_lib/schemas';
import { TandemError } from '@/lib/errors';
import { apiRoute, isUuid } from '../../../api-route';

export const POST = apiRoute(
  { scope: 'write', params: ['id'], body: escalateBody, bodyOptional: true },
  async ({ app, caller, params, body }) => {
    if (!isUuid(params.id))
      throw new TandemError('not_found:conversation', 'No conversation has that id.');
    return Response.json(await escalateFromApi(app, params.id, body, caller));
  },
);
