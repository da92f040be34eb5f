import { z } from 'zod';
import { transfer } from '@/lib/conversations/handoff';
import { readJsonBody } from '../../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../../staff-route';

const body = z.object({ agentId: z.uuid() });

export const POST = staffRoute<{ id: string }>('agent', async ({ app, staff, params, request }) => {
  const { agentId } = await readJsonBody(request, body, {
    surface: 'transfer',
    maxBytes: SMALL_BODY,
  });
  const { conversation } = await transfer(app, staff, params.id, agentId);
  return Response.json({ id: conversation.id, assignedAgentId: conversation.assignedAgentId });
});
