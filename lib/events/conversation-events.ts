import type { messages } from '@/db/schema';
import type { Cache } from '@/lib/cache/types';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import { log } from '@/lib/log';

// The stored row's type from the schema: conversations/ announces through this module, so the
// events cannot import conversations/ back.
type Message = typeof messages.$inferSelect;

const CHANNEL = 'conversations';

/** A message as it travels to live consoles and widgets. */
export interface LiveMessage {
  id: string;
  role: Message['role'];
  content: string;
  createdAt: string;
  agent?: { id: string; name: string };
  event?: NonNullable<Message['metadata']['event']>;
}

export type ConversationEvent =
  | { type: 'message.created'; message: LiveMessage }
  | { type: 'conversation.escalated'; reason: EscalationReason; ticket?: string }
  /** Its owner, assignee or status changed (taken over, handed back, transferred, resolved). */
  | { type: 'conversation.updated' }
  | { type: 'note.created' }
  /** An action call for this conversation was requested, confirmed, decided or finished. */
  | { type: 'action_call.updated'; callId: string; status: string }
  | { type: 'typing'; by: 'customer' | 'agent'; name?: string };

export type PublishedEvent = ConversationEvent & { conversationId: string; at: string };

export function toLiveMessage(message: Message): LiveMessage {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    createdAt: message.createdAt.toISOString(),
    ...(message.metadata.agent ? { agent: message.metadata.agent } : {}),
    ...(message.metadata.event ? { event: message.metadata.event } : {}),
  };
}

/** Tells consoles and widgets, on every instance, that a conversation changed. Never throws. */
export async function publishConversationEvent(
  { cache }: { cache: Cache },
  conversationId: string,
  event: ConversationEvent,
): Promise<void> {
  const published: PublishedEvent = { ...event, conversationId, at: new Date().toISOString() };
  try {
    await cache.publish(CHANNEL, JSON.stringify(published));
  } catch (error) {
    log.warn({ err: error, conversationId, event: event.type }, 'could not publish event');
  }
}

type Listener = (event: PublishedEvent) => void;

interface Hub {
  listeners: Set<Listener>;
  ready: Promise<unknown>;
}

const hubs = new WeakMap<Cache, Hub>();

/**
 * Calls `listener` with every conversation event from any instance. One cache subscription per
 * process serves every open console and widget stream. Resolves once events are flowing.
 */
export async function listenToConversationEvents(
  { cache }: { cache: Cache },
  listener: Listener,
): Promise<() => void> {
  let hub = hubs.get(cache);
  if (!hub) {
    const listeners = new Set<Listener>();
    const ready = cache
      .subscribe(CHANNEL, (raw) => {
        let event: PublishedEvent;
        try {
          event = JSON.parse(raw) as PublishedEvent;
        } catch {
          return;
        }
        for (const l of listeners) l(event);
      })
      .catch((error) => {
        hubs.delete(cache);
        throw error;
      });
    hub = { listeners, ready };
    hubs.set(cache, hub);
  }
  hub.listeners.add(listener);
  await hub.ready;
  return () => {
    hub.listeners.delete(listener);
  };
}
