import { z } from 'zod';
import { transfer } from '@/lib/conversations/handoff';
import { staffRoute } from '../../../../staff-route';

const body = z.object({ agentId: z.uuid() });

export const POST = staffRoute(
  { role: 'agent', surface: 'transfer', params: ['id'], body },
  async ({ app, staff, params, body }) => {
    const { conversation } = await transfer(app, staff, params.id, body.agentId);
    return Response.json({ id: conversation.id, assignedAgentId: conversation.assignedAgentId });
  },
);
