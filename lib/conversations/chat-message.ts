import type { UIMessage } from 'ai';
import type { Citation } from '@/db/schema';
import type { Message } from './queries';

export type ChatMessageMetadata = {
  conversationId?: string;
  author?: 'customer' | 'ai' | 'agent' | 'system';
  abstained?: boolean;
  /** This answer handed the conversation to a person. */
  escalated?: boolean;
  /** A person has the conversation, so the AI did not answer. */
  held?: boolean;
  /** Who wrote an agent's message or took the action a system message records. */
  agentName?: string;
  citations?: Citation[];
  createdAt?: string;
};

/** The message shape the widget renders and `useChat` streams into. */
export type ChatMessage = UIMessage<ChatMessageMetadata>;

/** Changes of hands a customer sees in their chat ("Dana joined the conversation"). */
export const CUSTOMER_VISIBLE_EVENTS: ReadonlySet<string> = new Set([
  'joined',
  'handed_back',
  'transferred',
  'resolved',
]);

/** Whether the customer sees this message: theirs, the AI's, an agent's, or a change of hands. */
export function isVisibleToCustomer(message: Pick<Message, 'role' | 'metadata'>): boolean {
  if (message.role !== 'system') return true;
  return (
    message.metadata.event !== undefined && CUSTOMER_VISIBLE_EVENTS.has(message.metadata.event)
  );
}

export function toChatMessage(message: Message): ChatMessage {
  const citations = message.metadata.citations ?? [];
  return {
    id: message.id,
    role: message.role === 'customer' ? 'user' : message.role === 'system' ? 'system' : 'assistant',
    metadata: {
      conversationId: message.conversationId,
      author: message.role,
      abstained: message.metadata.abstained,
      citations,
      ...(message.metadata.agent ? { agentName: message.metadata.agent.name } : {}),
      createdAt: message.createdAt.toISOString(),
    },
    parts: [
      { type: 'text', text: message.content },
      ...(message.metadata.attachments ?? []).map((a) => ({
        type: 'file' as const,
        mediaType: a.mediaType,
        filename: a.filename,
        url: `/api/chat/attachments/${a.id}`,
      })),
      ...citations.map((c) => ({
        type: 'source-url' as const,
        sourceId: c.slug,
        url: `/kb/${c.slug}`,
        title: c.title,
      })),
    ],
  };
}
