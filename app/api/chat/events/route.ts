import { z } from 'zod';
import { CUSTOMER_VISIBLE_EVENTS } from '@/lib/conversations/chat-message';
import { widgetConversationOrThrow } from '@/lib/customers/widget-session';
import { listenToConversationEvents, type PublishedEvent } from '@/lib/events/conversation-events';
import { eventStreamResponse } from '@/lib/events/event-stream';
import { widgetRoute } from '../../widget-route';

export const dynamic = 'force-dynamic';

/**
 * What the customer's widget sees live: agents' and the assistant's messages, who joined or
 * left, and an agent typing. Only an allow-list passes — notes, classifications and the AI's context never do.
 */
function forCustomer(event: PublishedEvent) {
  if (event.type === 'typing' && event.by === 'agent') {
    return { type: 'typing', name: event.name };
  }
  if (event.type === 'message.created') {
    const { message } = event;
    // The assistant's own messages too: the outcome of a confirmed or approved action comes
    // after the turn that asked for it (one the widget streamed is shown once, by its id).
    const visible =
      message.role === 'agent' ||
      message.role === 'ai' ||
      (message.role === 'system' && message.event && CUSTOMER_VISIBLE_EVENTS.has(message.event));
    if (!visible) return null;
    return {
      type: 'message',
      message: {
        id: message.id,
        role: message.role,
        content: message.content,
        createdAt: message.createdAt,
        agentName: message.agent?.name,
        event: message.event,
      },
    };
  }
  return null;
}

const query = z.object({
  conversationId: z.uuid({ message: 'must be a conversation id' }),
  /** The session token, for EventSource, which cannot send the x-tandem-session header. */
  session: z.string().max(200).optional(),
});

export const GET = widgetRoute(
  { surface: 'chat', session: 'required', sessionInQuery: true, query },
  async ({ app, request, query, customer }) => {
    const conversation = await widgetConversationOrThrow(app, customer, query.conversationId);
    return eventStreamResponse(request.signal, (send) =>
      listenToConversationEvents(app, (event) => {
        if (event.conversationId !== conversation.id) return;
        const visible = forCustomer(event);
        if (visible) send(visible.type, visible);
      }),
    );
  },
);
