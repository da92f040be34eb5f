'use client';

import type { ReactNode } from 'react';
import type { ChatMessage } from '@/lib/conversations/chat-message';
import { MessageBubble, type MessageBubbleProps } from './message-bubble';
import { useWidgetStrings } from './strings';

type BubbleControls = Pick<MessageBubbleProps, 'onAskForPerson' | 'onRate' | 'rated' | 'failed'>;

/**
 * One stored message of a conversation as the customer sees it, in the live chat and in a past
 * conversation alike: the inactivity check in the customer's language, a system line, or a
 * bubble with its sources and files (and, live, the controls and `children` under it).
 */
export function ThreadMessage({
  message,
  botName,
  children,
  ...controls
}: { message: ChatMessage; botName: string; children?: ReactNode } & BubbleControls) {
  const { t } = useWidgetStrings();
  if (message.metadata?.event === 'inactivity_check') {
    return <MessageBubble author="ai" name={botName} text={t.stillThere} sources={[]} />;
  }
  const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  if (message.role === 'system') {
    return (
      <p data-author="system" className="text-center text-xs text-ink-500">
        {text}
      </p>
    );
  }
  return (
    <>
      <MessageBubble
        author={message.metadata?.author ?? (message.role === 'user' ? 'customer' : 'ai')}
        name={message.role === 'user' ? t.you : (message.metadata?.agentName ?? botName)}
        text={text}
        sources={message.parts.flatMap((p) =>
          p.type === 'source-url' ? [{ url: p.url, title: p.title ?? p.url }] : [],
        )}
        files={message.parts.flatMap((p) =>
          p.type === 'file' ? [{ url: p.url, name: p.filename ?? 'attachment' }] : [],
        )}
        {...controls}
      />
      {children}
    </>
  );
}
