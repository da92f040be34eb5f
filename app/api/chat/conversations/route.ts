import { listCustomerConversations } from '@/lib/conversations/customer-conversations';
import { widgetRoute } from '../../widget-route';

/** The session's customer's own conversations, newest first, for the widget's list. */
export const GET = widgetRoute(
  { surface: 'chat', session: 'required' },
  async ({ app, customer }) => {
    const conversations = await listCustomerConversations(app.database.db, customer.id);
    return Response.json({ conversations }, { headers: { 'cache-control': 'private, no-store' } });
  },
);
