'use client';

import { X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { WidgetConsent } from '@/lib/consent/consent';
import type { ChatMessage } from '@/lib/conversations/chat-message';
import { accentStyle } from './accent';
import { BrandMark } from './brand-mark';
import { ChatPanel, type ChatPanelProps } from './chat-panel';
import { focusFirstInput } from './focus-first-input';
import { rememberLanguage, useWidgetStrings } from './strings';
import { connectToLoader, widgetFetch } from './widget-session';
import { useWidgetStore } from './widget-store';

/** GET /api/chat/session: the chat as the session left it. */
interface RestoredChat {
  conversationId: string | null;
  messages: ChatMessage[];
  withPerson: boolean;
  consent: WidgetConsent;
}

/** How long to wait for a loader that never answers (a page that framed `?embed=loader` itself). */
const LOADER_SILENCE_MS = 3000;

/**
 * The chat in /widget. Framed by the loader (`loader`), it has a header with a close button (the
 * frame is full-screen on a phone, over the page's own button) and takes its session from the
 * embedding page, which keeps it in its own storage: a frame on another site may have neither
 * storage nor cookies, so without this a reload would start a new conversation.
 */
export function FramedChat({
  loader,
  logo = null,
  ...props
}: ChatPanelProps & { loader: boolean; logo?: string | null }) {
  const [chat, setChat] = useState<{ key: string; props: ChatPanelProps } | null>(
    loader ? null : { key: 'page', props },
  );
  const bridge = useRef<ReturnType<typeof connectToLoader> | null>(null);
  const initial = useRef(props);
  const { t } = useWidgetStrings();

  useEffect(() => {
    if (!loader) return;
    let settled = false;
    const settle = (key: string, restored?: RestoredChat) => {
      if (settled) return;
      settled = true;
      const base = initial.current;
      setChat({
        key,
        props: restored
          ? {
              ...base,
              initialConversationId: restored.conversationId,
              initialMessages: restored.messages,
              initialWithPerson: restored.withPerson,
              consent: restored.consent,
            }
          : base,
      });
    };
    const connection = connectToLoader({
      onRestore: async (state) => {
        if (state.language) rememberLanguage(state.language);
        if (!state.session) return settle('new');
        const store = useWidgetStore.getState();
        store.setSession(state.session);
        try {
          // The server's view wins over the page's copy of the conversation id: a conversation
          // resolved since is not continued, exactly as with a cookie.
          const response = await widgetFetch('/api/chat/session');
          if (response.status === 401) store.setSession(null);
          if (!response.ok) return settle('new');
          settle('restored', (await response.json()) as RestoredChat);
        } catch {
          settle('new');
        }
      },
    });
    bridge.current = connection;
    const silence = setTimeout(() => settle('new'), LOADER_SILENCE_MS);
    return () => {
      clearTimeout(silence);
      connection.disconnect();
    };
  }, [loader]);

  const root = useRef<HTMLDivElement>(null);
  // The loader opened the frame for the customer to type: the message box, not the first button.
  const ready = chat !== null;
  useEffect(() => {
    if (!loader || !ready) return;
    const frame = requestAnimationFrame(() => focusFirstInput(root.current));
    return () => cancelAnimationFrame(frame);
  }, [loader, ready]);

  return (
    <div
      ref={root}
      className="flex h-full min-h-0 flex-col"
      style={accentStyle(props.accentColour)}
    >
      {loader && (
        <header className="flex items-center gap-3 bg-(--tandem-accent) px-4 py-3 text-white">
          <BrandMark logo={logo} botName={props.botName} />
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-semibold">{props.botName}</p>
            <p className="truncate text-xs text-white">{t.tagline}</p>
          </div>
          <button
            type="button"
            aria-label={t.closeChat}
            onClick={() => bridge.current?.close()}
            className="flex h-10 w-10 shrink-0 items-center justify-center rounded-full hover:bg-white/20"
          >
            <X aria-hidden="true" className="size-5" />
          </button>
        </header>
      )}
      {chat ? (
        <ChatPanel key={chat.key} {...chat.props} />
      ) : (
        <div aria-busy="true" className="flex-1 bg-white" />
      )}
    </div>
  );
}
