import { suggestReply } from '@/lib/conversations/suggest-reply';
import { staffRoute } from '../../../../staff-route';

export const GET = staffRoute({ role: 'agent', params: ['id'] }, async ({ app, params }) => {
  return Response.json(await suggestReply(app, params.id));
});
