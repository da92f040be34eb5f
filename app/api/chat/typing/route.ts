import { z } from 'zod';
import { widgetConversationOrThrow } from '@/lib/customers/widget-session';
import { publishConversationEvent } from '@/lib/events/conversation-events';
import { widgetRoute } from '../../widget-route';

const body = z.object({ conversationId: z.uuid() });

/** The customer is typing: shown to the agent who has the conversation. */
export const POST = widgetRoute(
  { surface: 'chat', session: 'required', body, maxBytes: 1024 },
  async ({ app, body, customer }) => {
    const conversation = await widgetConversationOrThrow(app, customer, body.conversationId);
    if (conversation.owner !== 'ai') {
      await publishConversationEvent(app, conversation.id, { type: 'typing', by: 'customer' });
    }
    return new Response(null, { status: 204 });
  },
);
