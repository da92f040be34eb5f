'use client';

import { useWidgetStore, type WidgetLanguage } from './widget-store';

/** The header the server sends a new session token in, and reads it back from. */
export const SESSION_HEADER = 'x-tandem-session';

/** What the loader keeps for the chat in the embedding page's own storage. */
export interface EmbedState {
  session: string | null;
  conversationId: string | null;
  language: WidgetLanguage | null;
}

/** The widget's requests: the session in a header as well as the cookie, and a new one kept. */
export async function widgetFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const { session } = useWidgetStore.getState();
  if (session) headers.set(SESSION_HEADER, session);
  const response = await fetch(input, { ...init, headers });
  const issued = response.headers.get(SESSION_HEADER);
  if (issued !== null) useWidgetStore.getState().setSession(issued || null);
  return response;
}

/** The live event stream's address: EventSource sends no headers, so the session rides along. */
export function eventsUrl(conversationId: string): string {
  const { session } = useWidgetStore.getState();
  const query = new URLSearchParams({ conversationId, ...(session ? { session } : {}) });
  return `/api/chat/events?${query}`;
}

const TOKEN = /^[\w.~+/=-]{1,512}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function readEmbedState(value: unknown): EmbedState {
  const state = (value ?? {}) as Record<string, unknown>;
  const text = (v: unknown, pattern: RegExp) =>
    typeof v === 'string' && pattern.test(v) ? v : null;
  return {
    session: text(state.session, TOKEN),
    conversationId: text(state.conversationId, UUID),
    language: state.language === 'en' || state.language === 'zh' ? state.language : null,
  };
}

/**
 * Inside the loader's iframe on another site, where this frame may have no storage and no cookie
 * of its own: asks the embedding page for the state it keeps, and keeps it informed.
 *
 * The frame speaks first ("ready", nothing secret, to whoever embeds it); it accepts the state
 * only from its parent window, and from then on posts the state only to that parent's origin,
 * so no other window or site can read the session or plant one.
 */
export function connectToLoader({ onRestore }: { onRestore: (state: EmbedState) => void }): {
  close: () => void;
  disconnect: () => void;
} {
  let parentOrigin: string | null = null;
  const post = (message: object) => {
    if (parentOrigin) window.parent.postMessage(message, parentOrigin);
  };
  const current = (): EmbedState => {
    const { session, conversationId, language } = useWidgetStore.getState();
    return { session, conversationId, language };
  };

  const listener = (event: MessageEvent) => {
    if (event.source !== window.parent || event.origin === 'null') return;
    const data = event.data as { type?: unknown; state?: unknown } | null;
    if (data?.type !== 'tandem:restore' || parentOrigin) return;
    parentOrigin = event.origin;
    onRestore(readEmbedState(data.state));
  };
  window.addEventListener('message', listener);
  const unsubscribe = useWidgetStore.subscribe((next, previous) => {
    if (
      next.session !== previous.session ||
      next.conversationId !== previous.conversationId ||
      next.language !== previous.language
    ) {
      post({ type: 'tandem:state', state: current() });
    }
  });
  if (window.parent !== window) window.parent.postMessage({ type: 'tandem:ready' }, '*');

  return {
    close: () => post({ type: 'tandem:close' }),
    disconnect: () => {
      window.removeEventListener('message', listener);
      unsubscribe();
    },
  };
}
