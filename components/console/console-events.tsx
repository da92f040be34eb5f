'use client';

import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';

export type ConsoleEvent = {
  type:
    | 'message.created'
    | 'conversation.escalated'
    | 'conversation.updated'
    | 'note.created'
    | 'action_call.updated'
    | 'typing';
  conversationId: string;
  at: string;
  by?: 'customer' | 'agent';
  name?: string;
  message?: { id: string; role: string; content: string };
  /** Why a conversation was handed to the team (`conversation.escalated`). */
  reason?: string;
};

type Listener = (event: ConsoleEvent) => void;

const EVENT_TYPES: ConsoleEvent['type'][] = [
  'message.created',
  'conversation.escalated',
  'conversation.updated',
  'note.created',
  'action_call.updated',
  'typing',
];

const Context = createContext<{ subscribe(l: Listener): () => void; connected: boolean } | null>(
  null,
);

/** One live connection per console tab, shared by the queue and the open conversation. */
export function ConsoleEventsProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const source = new EventSource('/api/console/events');
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        const event = JSON.parse((e as MessageEvent<string>).data) as ConsoleEvent;
        for (const l of listeners.current) l(event);
      });
    }
    return () => source.close();
  }, []);

  const [value] = useState(() => ({
    subscribe(l: Listener) {
      listeners.current.add(l);
      return () => {
        listeners.current.delete(l);
      };
    },
  }));
  return <Context.Provider value={{ ...value, connected }}>{children}</Context.Provider>;
}

export function useConsoleEvents(listener: Listener) {
  const context = useContext(Context);
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => context?.subscribe((e) => ref.current(e)), [context]);
  return context?.connected ?? false;
}
