import { agentMessageFromApi } from '@/lib/api/conversation-actions';
import { agentMessageBody } from '@/lib/api/schemas';
import { TandemError } from '@/lib/errors';
import { readJsonBody } from '../../../../read-json-body';
import { apiRoute, isUuid } from '../../../api-route';

/** An agent's reply, e.g. from a CRM: the agent takes the conversation if nobody has it. */
export const POST = apiRoute<{ id: string }>('agent', async ({ app, request, params }) => {
  if (!isUuid(params.id))
    throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const body = await readJsonBody(request, agentMessageBody, {
    surface: 'api',
    maxBytes: 64 * 1024,
  });
  return Response.json(await agentMessageFromApi(app, params.id, body), { status: 201 });
});
