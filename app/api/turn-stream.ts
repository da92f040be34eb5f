import { createUIMessageStream, type UIMessageChunk } from 'ai';
import type { ChatMessage, ChatMessageMetadata } from '@/lib/conversations/chat-message';
import type { Turn } from '@/lib/turn/turn';

/**
 * A turn as the AI SDK UI message stream the widget reads (and /api/v1 streams as server-sent
 * events): its events as text, tool, source and confirmation (data) parts, then the stored
 * answer's metadata.
 */
export function turnUIMessageStream(
  turn: Turn,
): ReadableStream<UIMessageChunk<ChatMessageMetadata>> {
  const metadata = { conversationId: turn.conversationId, author: 'ai' } as const;
  return createUIMessageStream<ChatMessage>({
    execute: async ({ writer }) => {
      writer.write({ type: 'start', messageId: turn.answerId, messageMetadata: metadata });
      let open: string | null = null;
      const close = () => {
        if (open) writer.write({ type: 'text-end', id: open });
        open = null;
      };
      const reader = turn.events.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const event = next.value;
        if (event.type !== 'text') close();
        switch (event.type) {
          case 'text':
            if (open !== event.part) {
              close();
              open = event.part;
              writer.write({ type: 'text-start', id: event.part });
            }
            writer.write({ type: 'text-delta', id: event.part, delta: event.delta });
            break;
          case 'tool-call':
            writer.write({
              type: 'tool-input-available',
              toolCallId: event.toolCallId,
              toolName: event.tool,
              input: event.input,
            });
            break;
          case 'tool-result':
            writer.write({
              type: 'tool-output-available',
              toolCallId: event.toolCallId,
              output: event.output,
            });
            break;
          case 'confirmation':
            writer.write({
              type: 'data-confirmation',
              id: event.callId,
              data: { callId: event.callId, action: event.action, summary: event.summary },
            });
            break;
          case 'citation':
            writer.write({
              type: 'source-url',
              sourceId: event.citation.slug,
              url: `/kb/${event.citation.slug}`,
              title: event.citation.title,
            });
            break;
        }
      }
      close();
      const answer = await turn.answer;
      writer.write({
        type: 'finish',
        messageMetadata: answer
          ? {
              ...metadata,
              abstained: answer.abstained,
              citations: answer.message.metadata.citations ?? [],
              escalated: answer.escalated,
              createdAt: answer.message.createdAt.toISOString(),
            }
          : { ...metadata, held: true },
      });
    },
    onError: () => 'Sorry, something went wrong while answering. Please try again in a moment.',
  });
}
