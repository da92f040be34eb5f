import { takeOver } from '@/lib/conversations/handoff';
import { staffRoute } from '../../../../staff-route';

/** Claims the conversation: when two agents click at once, exactly one gets it (409 for the other). */
export const POST = staffRoute(
  { role: 'agent', surface: 'handoff', params: ['id'] },
  async ({ app, staff, params }) => {
    const { conversation } = await takeOver(app, staff, params.id);
    return Response.json({ id: conversation.id, owner: conversation.owner, assignedAgent: staff });
  },
);
