import { publishConversationEvent } from '@/lib/events/conversation-events';
import { staffRoute } from '../../../../staff-route';

/** The agent is typing: the customer's widget shows it for a few seconds. */
export const POST = staffRoute(
  { role: 'agent', surface: 'typing', params: ['id'], audit: false },
  async ({ app, staff, params }) => {
    await publishConversationEvent(app, params.id, {
      type: 'typing',
      by: 'agent',
      name: staff.name,
    });
    return new Response(null, { status: 204 });
  },
);
