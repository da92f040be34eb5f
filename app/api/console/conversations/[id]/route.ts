import { getConsoleConversation } from '@/app/api/console/_lib/conversation-detail';
import { markRead } from '@/lib/conversations/reads';
import { audit } from '@/lib/privacy/audit';
import { staffRoute } from '../../../staff-route';

/** The conversation with its context; opening it marks its messages read for this agent. */
export const GET = staffRoute({ role: 'agent', params: ['id'] }, async ({ app, staff, params }) => {
  const detail = await getConsoleConversation(app.database.db, params.id);
  await markRead(app.database.db, params.id, staff.id);
  await audit(
    app.database.db,
    { type: 'staff', id: staff.id, name: staff.name },
    'conversation.viewed',
    { type: 'conversation', id: params.id },
  );
  return Response.json(detail);
});
