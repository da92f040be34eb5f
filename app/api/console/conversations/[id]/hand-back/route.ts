import { handBack } from '@/lib/conversations/handoff';
import { staffRoute } from '../../../../staff-route';

export const POST = staffRoute<{ id: string }>('agent', async ({ app, staff, params }) => {
  const { conversation } = await handBack(app, staff, params.id);
  return Response.json({ id: conversation.id, owner: conversation.owner });
});
