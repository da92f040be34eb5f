import { getApp } from '@/lib/app';
import { CUSTOMER_VISIBLE_EVENTS } from '@/lib/conversations/chat-message';
import { widgetConversationOrThrow } from '@/lib/customers/widget-session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { listenToConversationEvents, type PublishedEvent } from '@/lib/events/conversation-events';
import { eventStreamResponse } from '@/lib/events/event-stream';
import { log } from '@/lib/log';
import { observedRoute } from '../../observed-route';

export const dynamic = 'force-dynamic';

/**
 * What the customer's widget sees live: agents' messages, who joined or left, and an agent
 * typing. Only an allow-list passes — notes, classifications and the AI's context never do.
 */
function forCustomer(event: PublishedEvent) {
  if (event.type === 'typing' && event.by === 'agent') {
    return { type: 'typing', name: event.name };
  }
  if (event.type === 'message.created') {
    const { message } = event;
    const visible =
      message.role === 'agent' ||
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

export const GET = observedRoute(async (request: Request) => {
  try {
    const app = await getApp();
    const conversation = await widgetConversationOrThrow(
      app,
      request,
      new URL(request.url).searchParams.get('conversationId'),
    );
    return eventStreamResponse(request.signal, (send) =>
      listenToConversationEvents(app, (event) => {
        if (event.conversationId !== conversation.id) return;
        const visible = forCustomer(event);
        if (visible) send(visible.type, visible);
      }),
    );
  } catch (error) {
    if (!(error instanceof TandemError)) log.error({ err: error }, 'chat events failed');
    return toErrorResponse(error);
  }
});
