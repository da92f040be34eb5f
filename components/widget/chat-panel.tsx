'use client';

import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, type FileUIPart } from 'ai';
import { ArrowLeft, History, Languages, Plus } from 'lucide-react';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { WidgetConsent } from '@/lib/consent/consent';
import {
  ATTACHMENT_ACCEPT,
  attachmentMediaType,
  findAttachmentProblem,
  formatBytes,
} from '@/lib/conversations/attachment-rules';
import type { ChatMessage } from '@/lib/conversations/chat-message';
import { accentStyle } from './accent';
import { ActionConfirmation } from './action-confirmation';
import { ConsentNotice, LeaveMessageForm } from './consent-notice';
import { ConversationList } from './conversation-list';
import { CsatPrompt } from './csat-prompt';
import { MessageBubble } from './message-bubble';
import { PastConversation } from './past-conversation';
import { useWidgetStrings } from './strings';
import { ThreadMessage } from './thread-message';
import { TypingIndicator } from './typing-indicator';
import { useLiveConversation } from './use-live-conversation';
import { widgetFetch } from './widget-session';
import { useWidgetStore } from './widget-store';

export interface ChatPanelProps {
  initialConversationId: string | null;
  initialMessages: ChatMessage[];
  /** A person has the conversation when the chat opens. */
  initialWithPerson: boolean;
  botName: string;
  greeting: string;
  /** `#rrggbb`, from the widget settings. */
  accentColour: string;
  consent: WidgetConsent;
  /** The server's limit for one attached file (config `chat.maxAttachmentBytes`). */
  maxAttachmentBytes: number;
}

/**
 * The chat: one conversation at a time (`ChatThread`), the customer's past conversations, and a
 * way to start a new one. The thread stays mounted behind the list, so an answer still streaming
 * is not lost by looking at an older conversation.
 */
export function ChatPanel(props: ChatPanelProps) {
  const { t } = useWidgetStrings();
  const current = useWidgetStore((s) => s.conversationId);
  const [thread, setThread] = useState({
    key: 0,
    conversationId: props.initialConversationId,
    messages: props.initialMessages,
    withPerson: props.initialWithPerson,
  });
  const [view, setView] = useState<
    { kind: 'thread' } | { kind: 'list' } | { kind: 'past'; id: string }
  >({
    kind: 'thread',
  });

  function openThread(next: {
    conversationId: string | null;
    messages: ChatMessage[];
    withPerson: boolean;
  }) {
    useWidgetStore.getState().setConversationId(next.conversationId);
    setThread((previous) => ({ key: previous.key + 1, ...next }));
    setView({ kind: 'thread' });
  }

  const onThread = view.kind === 'thread';
  const navButton =
    'flex h-8 items-center gap-1 rounded-md px-2 text-xs text-ink-700 hover:bg-gray-100 disabled:cursor-not-allowed disabled:opacity-50';
  return (
    <div className="flex h-full min-h-0 flex-col bg-white" style={accentStyle(props.accentColour)}>
      <nav
        aria-label={t.yourConversations}
        className="flex items-center justify-between border-b border-gray-200 px-2 py-1"
      >
        {onThread ? (
          <button type="button" onClick={() => setView({ kind: 'list' })} className={navButton}>
            <History aria-hidden="true" className="size-4" />
            {t.yourConversations}
          </button>
        ) : (
          <button
            type="button"
            onClick={() => setView(view.kind === 'past' ? { kind: 'list' } : { kind: 'thread' })}
            className={navButton}
          >
            <ArrowLeft aria-hidden="true" className="size-4" />
            {view.kind === 'past' ? t.yourConversations : t.backToChat}
          </button>
        )}
        <button
          type="button"
          // Nothing to leave while the chat is empty.
          disabled={onThread && !current}
          onClick={() => openThread({ conversationId: null, messages: [], withPerson: false })}
          className={navButton}
        >
          <Plus aria-hidden="true" className="size-4" />
          {t.newConversation}
        </button>
      </nav>
      <div className={`${onThread ? 'flex' : 'hidden'} min-h-0 flex-1 flex-col`}>
        <ChatThread
          key={thread.key}
          {...props}
          initialConversationId={thread.conversationId}
          initialMessages={thread.messages}
          initialWithPerson={thread.withPerson}
        />
      </div>
      {view.kind === 'list' && (
        <ConversationList currentId={current} onOpen={(id) => setView({ kind: 'past', id })} />
      )}
      {view.kind === 'past' && (
        <PastConversation
          id={view.id}
          currentId={current}
          botName={props.botName}
          onBackToChat={() => setView({ kind: 'thread' })}
          onContinue={(c) =>
            openThread({ conversationId: c.id, messages: c.messages, withPerson: c.withPerson })
          }
        />
      )}
    </div>
  );
}

/** One conversation: its messages, the composer, and the rating once it is resolved. */
function ChatThread({
  initialConversationId,
  initialMessages,
  initialWithPerson,
  botName,
  greeting,
  accentColour,
  consent,
  maxAttachmentBytes,
}: ChatPanelProps) {
  const setConversationId = useWidgetStore((s) => s.setConversationId);
  const conversationId = useWidgetStore((s) => s.conversationId);
  const { t, toggle: toggleLanguage } = useWidgetStrings();
  const [draft, setDraft] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  /** Messages of the customer's that did not reach us, by id, with the reason. */
  const [failures, setFailures] = useState<Record<string, string>>({});
  /** The message the server held back until the consent notice is answered. */
  const [heldForConsent, setHeldForConsent] = useState<string | null>(null);
  const [ratings, setRatings] = useState<Record<string, boolean>>({});
  const [decision, setDecision] = useState(consent.decision);
  /** The resolved conversation the customer wrote after: the thread is its follow-up now. */
  const [followUpOf, setFollowUpOf] = useState<string | null>(null);
  const [askingConsent, setAskingConsent] = useState(consent.ask);
  const scroller = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (initialConversationId) setConversationId(initialConversationId);
  }, [initialConversationId, setConversationId]);

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api: '/api/chat',
        fetch: (input, init) => widgetFetch(String(input), init),
        prepareSendMessagesRequest: ({ messages, body }) => ({
          body: {
            ...body,
            conversationId: useWidgetStore.getState().conversationId ?? undefined,
            message: messages.at(-1),
          },
        }),
      }),
    [],
  );

  const { messages, setMessages, sendMessage, status, error, clearError } = useChat<ChatMessage>({
    messages: initialMessages,
    transport,
    onFinish: ({ message }) => {
      if (message.metadata?.conversationId) setConversationId(message.metadata.conversationId);
    },
  });

  const live = useLiveConversation(conversationId ?? initialConversationId, {
    initialWithPerson,
    onMessage: (m) =>
      setMessages((current) =>
        current.some((c) => c.id === m.id)
          ? current
          : [
              ...current,
              {
                id: m.id,
                role: m.role === 'system' ? 'system' : 'assistant',
                metadata: {
                  author: m.role,
                  agentName: m.agentName,
                  createdAt: m.createdAt,
                  event: m.event,
                },
                parts: [{ type: 'text', text: m.content }],
              },
            ],
      ),
  });

  /** A message that arrived outside the stream (an action's outcome), shown once. */
  const append = (message: ChatMessage) =>
    setMessages((current) =>
      current.some((c) => c.id === message.id) ? current : [...current, message],
    );

  const busy = status === 'submitted' || status === 'streaming';
  // The rating belongs to the resolved conversation; once the customer writes again it is gone.
  const rating = live.resolved && conversationId && conversationId !== followUpOf;
  const last = messages.at(-1);
  // While a person has the conversation the AI stays silent: its empty turns are not shown.
  const shown = messages.filter(
    (m) =>
      m.role === 'user' || m.parts.some((p) => p.type !== 'text' || p.text) || (busy && m === last),
  );
  const waitingForText =
    status === 'submitted' ||
    (status === 'streaming' &&
      last?.role === 'assistant' &&
      !last.parts.some((p) => p.type === 'text' && p.text));

  useEffect(() => {
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight });
  });

  // A message that failed stays on screen, marked, with its reason and a way to send it again.
  const lastUser = messages.findLast((m) => m.role === 'user');
  useEffect(() => {
    if (!error || !lastUser) return;
    if (errorCode(error) === 'conflict:message') {
      // Stored by an earlier attempt whose answer was lost: it did reach us.
      clearError();
      return;
    }
    // The notice changed, or was never answered, since the page loaded: the server asks first.
    if (errorCode(error) === 'conflict:consent') {
      setAskingConsent(true);
      setHeldForConsent(lastUser.id);
    }
    setFailures((f) => ({ ...f, [lastUser.id]: describeError(error, t.sendFailed) }));
  }, [error, lastUser, clearError, t.sendFailed]);

  function retry(id: string) {
    const message = messages.find((m) => m.id === id);
    if (!message || busy) return;
    setFailures(({ [id]: _, ...rest }) => rest);
    if (error) clearError();
    // Sent again under the same id, so the server stores it once however many tries it takes.
    setMessages((current) => current.filter((m) => m.id !== id));
    void sendMessage({ id: message.id, role: 'user', parts: message.parts });
  }

  function chooseFiles(chosen: FileList | null) {
    const problems: string[] = [];
    const next = [...files];
    for (const file of Array.from(chosen ?? [])) {
      const problem = findAttachmentProblem(
        [...next, file].map((f) => ({
          filename: f.name,
          mediaType: attachmentMediaType(f.name, f.type),
          size: f.size,
        })),
        { maxBytes: maxAttachmentBytes },
      );
      if (!problem) next.push(file);
      else if (problem.kind === 'too_large') {
        problems.push(
          t.fileTooLarge(file.name, formatBytes(file.size), formatBytes(problem.maxBytes)),
        );
      } else if (problem.kind === 'unsupported') problems.push(t.fileNotAccepted(file.name));
      else problems.push(t.tooManyFiles(problem.maxFiles));
    }
    setFiles(next);
    setFileProblem(problems.length ? [...new Set(problems)].join(' ') : null);
    // The same file can be chosen again after it was removed.
    if (fileInput.current) fileInput.current.value = '';
  }

  function removeFile(index: number) {
    setFiles((current) => current.filter((_, i) => i !== index));
    setFileProblem(null);
  }

  const declined = decision === 'declined' && !askingConsent;
  const leavingMessage = declined && !messages.some((m) => m.role === 'user');

  /**
   * Writing after the conversation was resolved starts a new one (the server links it to this
   * one): the thread starts afresh, and the resolved conversation stays under "Your conversations".
   */
  function leaveResolved() {
    if (!rating) return;
    setFollowUpOf(conversationId);
    setMessages([]);
    setRatings({});
    setFailures({});
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if ((!text && !files.length) || busy) return;
    if (error) clearError();
    leaveResolved();
    const chosen = files;
    setDraft('');
    setFiles([]);
    setFileProblem(null);
    if (!chosen.length) {
      void sendMessage({ text });
      return;
    }
    try {
      void sendMessage({ text, files: await toFileParts(chosen) });
    } catch {
      // The file went away or became unreadable between choosing and sending.
      setDraft(text);
      setFiles(chosen);
      setFileProblem(t.sendFailed);
    }
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col bg-white" style={accentStyle(accentColour)}>
      <div
        ref={scroller}
        className="flex-1 space-y-3 overflow-y-auto px-4 py-4"
        role="log"
        aria-label={t.conversation}
        aria-live="polite"
      >
        <MessageBubble author="ai" name={botName} text={greeting} sources={[]} />
        {shown.map((message, index) => (
          <ThreadMessage
            key={message.id}
            message={message}
            botName={botName}
            onRate={
              message.role === 'assistant' &&
              message.metadata?.author === 'ai' &&
              !(busy && message === last)
                ? (helpful) => {
                    setRatings((r) => ({ ...r, [message.id]: helpful }));
                    void widgetFetch('/api/chat/feedback', {
                      method: 'POST',
                      headers: { 'content-type': 'application/json' },
                      body: JSON.stringify({ messageId: message.id, helpful }),
                    });
                  }
                : undefined
            }
            rated={ratings[message.id] ?? null}
            failed={
              failures[message.id] !== undefined
                ? {
                    reason: failures[message.id]!,
                    onRetry: busy ? undefined : () => retry(message.id),
                  }
                : undefined
            }
            onAskForPerson={
              // Offered under the latest answer the bot was unsure of, while it still has the chat.
              index === shown.length - 1 && message.metadata?.abstained && !busy
                ? () => void sendMessage({ text: t.askForPerson })
                : undefined
            }
          >
            {message.parts.map((part) =>
              part.type === 'data-confirmation' ? (
                <ActionConfirmation
                  key={part.data.callId}
                  request={part.data}
                  onAnswered={append}
                />
              ) : null,
            )}
          </ThreadMessage>
        ))}
        {waitingForText && !live.withPerson && <TypingIndicator name={botName} />}
        {live.agentTyping && <TypingIndicator name={live.agentTyping} />}
        {rating && <CsatPrompt key={conversationId} conversationId={conversationId} />}
        {error && !(lastUser && failures[lastUser.id] !== undefined) && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {describeError(error, t.sendFailed)}
          </p>
        )}
      </div>
      {(files.length > 0 || fileProblem) && (
        <div className="space-y-1 border-t border-gray-200 px-3 pt-2">
          {files.length > 0 && (
            <ul aria-label={t.filesToSend} className="flex flex-wrap gap-1">
              {files.map((file, index) => (
                <li
                  key={`${file.name}-${file.size}-${file.lastModified}`}
                  className="flex items-center gap-1 rounded bg-gray-100 py-0.5 pr-0.5 pl-2 text-xs text-ink-700"
                >
                  <span className="max-w-48 truncate">{file.name}</span>
                  <span className="text-ink-500">{formatBytes(file.size)}</span>
                  <button
                    type="button"
                    aria-label={t.removeFile(file.name)}
                    onClick={() => removeFile(index)}
                    className="flex h-6 w-6 items-center justify-center rounded text-ink-500 hover:bg-gray-200"
                  >
                    <svg
                      viewBox="0 0 20 20"
                      fill="none"
                      stroke="currentColor"
                      strokeWidth="1.8"
                      className="h-3.5 w-3.5"
                      aria-hidden="true"
                    >
                      <path d="M5 5l10 10M15 5L5 15" strokeLinecap="round" />
                    </svg>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {fileProblem && (
            <p role="alert" className="text-xs text-red-700">
              {fileProblem}
            </p>
          )}
          <p className="text-xs text-ink-500">{t.attachLimits(formatBytes(maxAttachmentBytes))}</p>
        </div>
      )}
      {declined && (
        <p className="flex flex-wrap items-center gap-x-2 border-t border-gray-200 px-3 py-2 text-xs text-ink-500">
          {t.aiOff}
          <button
            type="button"
            onClick={() => setAskingConsent(true)}
            className="text-(--tandem-accent) underline"
          >
            {t.changeChoice}
          </button>
        </p>
      )}
      {askingConsent ? (
        <ConsentNotice
          notice={consent.notice}
          version={consent.version}
          onAnswered={(answer) => {
            if (error) clearError();
            setDecision(answer);
            setAskingConsent(false);
            if (heldForConsent) {
              setHeldForConsent(null);
              retry(heldForConsent);
            }
          }}
        />
      ) : leavingMessage ? (
        <LeaveMessageForm
          busy={busy}
          onSend={({ email, text }) => {
            if (error) clearError();
            void sendMessage({ text }, { body: { contactEmail: email } });
          }}
        />
      ) : (
        <form onSubmit={submit} className="flex items-end gap-2 border-t border-gray-200 p-3">
          <input
            ref={fileInput}
            id="tandem-attachment"
            type="file"
            multiple
            accept={ATTACHMENT_ACCEPT}
            className="sr-only"
            onChange={(e) => chooseFiles(e.target.files)}
          />
          <button
            type="button"
            onClick={toggleLanguage}
            title={t.language}
            className="flex h-10 shrink-0 items-center gap-1 rounded-lg px-1.5 text-xs text-ink-700 hover:bg-gray-100"
          >
            <Languages aria-hidden="true" className="size-4" />
            <span lang={t.switchToLang}>{t.switchTo}</span>
          </button>
          <label
            htmlFor="tandem-attachment"
            title={`${t.attachFile} (${t.attachLimits(formatBytes(maxAttachmentBytes))})`}
            className="flex h-10 w-10 cursor-pointer items-center justify-center rounded-lg text-ink-500 hover:bg-gray-100"
          >
            <span className="sr-only">{t.attachFile}</span>
            <svg
              viewBox="0 0 20 20"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.6"
              className="h-5 w-5"
              aria-hidden="true"
            >
              <path
                d="M14.5 9.5 9 15a3.5 3.5 0 0 1-5-5l6-6a2.3 2.3 0 0 1 3.3 3.3l-6 6a1.2 1.2 0 0 1-1.7-1.7L11 6"
                strokeLinecap="round"
              />
            </svg>
          </label>
          <label htmlFor="tandem-message" className="sr-only">
            {t.message}
          </label>
          <textarea
            id="tandem-message"
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              live.customerTyped();
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) submit(e);
            }}
            rows={1}
            placeholder={t.placeholder}
            className="max-h-32 min-h-10 flex-1 resize-none rounded-lg border border-gray-300 px-3 py-2 text-sm focus:border-(--tandem-accent) focus:outline-none focus:ring-2 focus:ring-(--tandem-accent-soft)"
          />
          <button
            type="submit"
            aria-label={t.send}
            disabled={busy || (!draft.trim() && !files.length)}
            className="flex h-10 w-10 items-center justify-center rounded-lg bg-(--tandem-accent) text-white transition hover:bg-(--tandem-accent-strong) disabled:cursor-not-allowed disabled:opacity-40"
          >
            <svg viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5" aria-hidden="true">
              <path d="M3.1 2.3a.75.75 0 0 1 .8-.1l13.5 7a.75.75 0 0 1 0 1.4l-13.5 7a.75.75 0 0 1-1-.9L4.7 11H10a.75.75 0 0 0 0-1.5H4.7L2.9 3.2a.75.75 0 0 1 .2-.9Z" />
            </svg>
          </button>
        </form>
      )}
    </div>
  );
}

/** Files as the AI SDK sends them, typed by name when the browser gave no type (often for .md). */
async function toFileParts(files: File[]): Promise<FileUIPart[]> {
  return Promise.all(
    files.map(async (file) => {
      const mediaType = attachmentMediaType(file.name, file.type);
      const url = await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(file);
      });
      return {
        type: 'file' as const,
        mediaType,
        filename: file.name,
        url: url.replace(/^data:[^,]*,/, `data:${mediaType};base64,`),
      };
    }),
  );
}

function errorCode(error: Error): string | undefined {
  try {
    return (JSON.parse(error.message) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** The server's own explanation when it sent one (a 4xx JSON error), a plain apology otherwise. */
function describeError(error: Error, fallback: string): string {
  try {
    const body = JSON.parse(error.message) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not a JSON error body
  }
  return fallback;
}
