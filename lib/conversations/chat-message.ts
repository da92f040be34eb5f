import type { UIMessage } from 'ai';
import type { Citation } from '@/db/schema';
import type { Message } from './queries';

export type ChatMessageMetadata = {
  conversationId?: string;
  author?: 'customer' | 'ai' | 'agent' | 'system';
  abstained?: boolean;
  /** This answer handed the conversation to a person. */
  escalated?: boolean;
  citations?: Citation[];
  createdAt?: string;
};

/** The message shape the widget renders and `useChat` streams into. */
export type ChatMessage = UIMessage<ChatMessageMetadata>;

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
