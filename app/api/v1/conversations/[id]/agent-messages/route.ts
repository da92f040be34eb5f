import { agentMessageFromApi } from '@/lib/api/conversation-actions';
import { agentMessageBody } from '@/lib/api/schemas';
import { TandemError } from '@/lib/errors';
import { apiRoute, isUuid } from '../../../api-route';

/** An agent's reply, e.g. from a CRM: the agent takes the conversation if nobody has it. */
export const POST = apiRoute(
  { scope: 'agent', params: ['id'], body: agentMessageBody },
  async ({ app, params, body }) => {
    if (!isUuid(params.id))
      throw new TandemError('not_found:conversation', 'No conversation has that id.');
    return Response.json(await agentMessageFromApi(app, params.id, body), { status: 201 });
  },
);
