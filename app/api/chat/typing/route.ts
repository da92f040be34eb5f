import { z } from 'zod';
import { getApp } from '@/lib/app';
import { widgetConversationOrThrow } from '@/lib/customers/widget-session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { publishConversationEvent } from '@/lib/events/conversation-events';
import { log } from '@/lib/log';
import { observedRoute } from '../../observed-route';
import { readJsonBody } from '../../read-json-body';

const body = z.object({ conversationId: z.uuid() });

/** The customer is typing: shown to the agent who has the conversation. */
export const POST = observedRoute(async (request: Request) => {
  try {
    const app = await getApp();
    const { conversationId } = await readJsonBody(request, body, {
      surface: 'chat',
      maxBytes: 1024,
    });
    const conversation = await widgetConversationOrThrow(app, request, conversationId);
    if (conversation.owner !== 'ai') {
      await publishConversationEvent(app, conversation.id, { type: 'typing', by: 'customer' });
    }
    return new Response(null, { status: 204 });
  } catch (error) {
    if (!(error instanceof TandemError)) log.error({ err: error }, 'chat typing failed');
    return toErrorResponse(error);
  }
});
