'use client';

import { useEffect, useRef, useState } from 'react';
import { eventsUrl, widgetFetch } from './widget-session';

export interface LiveChatMessage {
  id: string;
  role: 'agent' | 'ai' | 'system';
  content: string;
  createdAt: string;
  agentName?: string;
  event?: string;
}

const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 2000;

/**
 * The conversation's live side for the customer: agents' and the assistant's messages (an
 * action's outcome) and changes of hands as they happen (Server-Sent Events), who is typing, and the customer's own typing sent to the agent.
 */
export function useLiveConversation(
  conversationId: string | null,
  {
    initialWithPerson,
    onMessage,
  }: { initialWithPerson: boolean; onMessage: (m: LiveChatMessage) => void },
) {
  const [withPerson, setWithPerson] = useState(initialWithPerson);
  const [resolved, setResolved] = useState(false);
  const [typing, setTyping] = useState<string | null>(null);
  const onMessageRef = useRef(onMessage);
  onMessageRef.current = onMessage;
  const lastTypingSent = useRef(0);

  useEffect(() => {
    // A conversation's resolution is its own: the next one (a follow-up) starts unresolved.
    setResolved(false);
    if (!conversationId) return;
    let hideTyping: ReturnType<typeof setTimeout> | undefined;
    const source = new EventSource(eventsUrl(conversationId));
    source.addEventListener('message', (e) => {
      const { message } = JSON.parse((e as MessageEvent<string>).data) as {
        message: LiveChatMessage;
      };
      if (message.event === 'joined' || message.event === 'transferred') setWithPerson(true);
      if (message.event === 'handed_back' || message.event === 'resolved') setWithPerson(false);
      setResolved(message.event === 'resolved');
      if (message.role === 'agent') setTyping(null);
      onMessageRef.current(message);
    });
    source.addEventListener('typing', (e) => {
      const { name } = JSON.parse((e as MessageEvent<string>).data) as { name?: string };
      setTyping(name ?? 'Support');
      clearTimeout(hideTyping);
      hideTyping = setTimeout(() => setTyping(null), TYPING_SHOWN_MS);
    });
    return () => {
      clearTimeout(hideTyping);
      source.close();
    };
  }, [conversationId]);

  /** Call on each keystroke: tells the agent, at most every couple of seconds. */
  function customerTyped() {
    if (!conversationId || !withPerson) return;
    const now = Date.now();
    if (now - lastTypingSent.current < TYPING_SENT_EVERY_MS) return;
    lastTypingSent.current = now;
    void widgetFetch('/api/chat/typing', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId }),
    }).catch(() => {});
  }

  return { withPerson, resolved, agentTyping: typing, customerTyped };
}
