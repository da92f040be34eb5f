import { escalationReasonLabel } from '@/lib/conversations/escalation-reasons';
import { truncateText } from '@/lib/text/truncate';
import type { ConsoleEvent } from './console-events';

export interface ConsoleNotice {
  /** One notification per conversation and kind: a newer one replaces it, in every tab. */
  tag: string;
  title: string;
  body: string;
  conversationId: string;
}

/**
 * What, if anything, to tell an agent whose console tab is hidden: a conversation newly handed to
 * the team, or a customer's message in one they hold (`held`: conversation id → customer name).
 */
export function notificationFor(
  event: ConsoleEvent,
  held: ReadonlyMap<string, string>,
): ConsoleNotice | null {
  if (event.type === 'conversation.escalated') {
    return {
      tag: `handoff:${event.conversationId}`,
      title: 'A customer is waiting for a person',
      body: event.reason ? escalationReasonLabel(event.reason) : 'New in the queue',
      conversationId: event.conversationId,
    };
  }
  const customer = held.get(event.conversationId);
  if (event.type === 'message.created' && event.message?.role === 'customer' && customer) {
    return {
      tag: `message:${event.conversationId}`,
      title: `New message from ${customer}`,
      body: truncateText(event.message.content, 140),
      conversationId: event.conversationId,
    };
  }
  return null;
}
