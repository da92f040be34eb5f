import { handBack } from '@/lib/conversations/handoff';
import { staffRoute } from '../../../../staff-route';

export const POST = staffRoute(
  { role: 'agent', surface: 'handoff', params: ['id'] },
  async ({ app, staff, params }) => {
    const { conversation } = await handBack(app, staff, params.id);
    return Response.json({ id: conversation.id, owner: conversation.owner });
  },
);
