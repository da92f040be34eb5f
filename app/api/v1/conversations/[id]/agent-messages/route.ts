import { agentMessageFromApi } from '@/app/api/v1/_lib/conversation-actions';
import { agentMessageBody } from '@/app/api/v1/_lib/schemas';
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
