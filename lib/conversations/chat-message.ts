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
  /** What a system message records (`resolved`, `inactivity_check`…). */
  event?: string;
};

/**
 * A call of a write action waiting for the customer: the widget shows its summary with confirm
 * and cancel (what it says then comes from the call's current state, not from this part).
 */
export type ConfirmationRequest = { callId: string; action: string; summary: string };

/** The message shape the widget renders and `useChat` streams into. */
export type ChatMessage = UIMessage<ChatMessageMetadata, { confirmation: ConfirmationRequest }>;

/** Changes of hands a customer sees in their chat ("Dana joined the conversation"), and the policy's question. */
export const CUSTOMER_VISIBLE_EVENTS: ReadonlySet<string> = new Set([
  'joined',
  'handed_back',
  'transferred',
  'resolved',
  // The inactivity policy's "are you still there?"
  'inactivity_check',
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
      ...(message.metadata.event ? { event: message.metadata.event } : {}),
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
      ...confirmationsOf(message).map((data) => ({
        type: 'data-confirmation' as const,
        id: data.callId,
        data,
      })),
    ],
  };
}

/** The confirmations an answer asked for, from the tool activity stored with it. */
function confirmationsOf(message: Message): ConfirmationRequest[] {
  return (message.metadata.tools ?? []).flatMap((activity) => {
    const output = activity.output as { status?: unknown; callId?: unknown; summary?: unknown };
    return output?.status === 'awaiting_confirmation' &&
      typeof output.callId === 'string' &&
      typeof output.summary === 'string'
      ? [{ callId: output.callId, action: activity.tool, summary: output.summary }]
      : [];
  });
}
