import type { App } from '@/lib/app';
import { log } from '@/lib/log';

export type ConversationEvent =
  | { type: 'message.created'; role: 'customer' | 'ai' | 'agent' | 'system' }
  | { type: 'conversation.escalated'; reason: string; ticket?: string };

/** Tells consoles and widgets, on every instance, that a conversation changed. Never throws. */
export async function publishConversationEvent(
  app: App,
  conversationId: string,
  event: ConversationEvent,
): Promise<void> {
  try {
    await app.cache.publish(
      'conversations',
      JSON.stringify({ conversationId, at: new Date().toISOString(), ...event }),
    );
  } catch (error) {
    log.warn({ err: error, conversationId, event: event.type }, 'could not publish event');
  }
}
