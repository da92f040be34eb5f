'use client';

import { Lock, Paperclip } from 'lucide-react';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type {
  ConsoleConversation,
  ConsoleMessage,
} from '@/app/api/console/_lib/conversation-detail';
import { categoryLabel } from '@/lib/text/labels';
import { Badge, PriorityBadge, SentimentBadge, TrendBadge } from './badges';
import { useConsoleEvents } from './console-events';
import { ContextPanel } from './context-panel';
import { ReplyBox } from './reply-box';

type Me = { id: string; name: string; role: 'agent' | 'admin' };
type Agent = { id: string; name: string; available: boolean };
type Note = ConsoleConversation['notes'][number];

/** The thread as agents read it: the customer's transcript with the team's notes at their time. */
type ThreadEntry = { kind: 'message'; message: ConsoleMessage } | { kind: 'note'; note: Note };

function threadOf(messages: ConsoleMessage[], notes: Note[]): ThreadEntry[] {
  const entries: ThreadEntry[] = [];
  let n = 0;
  for (const message of messages) {
    while (n < notes.length && notes[n]!.createdAt < message.createdAt) {
      entries.push({ kind: 'note', note: notes[n++]! });
    }
    entries.push({ kind: 'message', message });
  }
  for (; n < notes.length; n++) entries.push({ kind: 'note', note: notes[n]! });
  return entries;
}

async function post(url: string, body?: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => null)) as {
      error?: { message?: string };
    } | null;
    throw new Error(error?.error?.message ?? `The request failed (${response.status}).`);
  }
  return response;
}

/** One conversation, live: transcript, actions, reply box, notes, and the AI's context. */
export function ConversationView({ conversationId, me }: { conversationId: string; me: Me }) {
  const [detail, setDetail] = useState<ConsoleConversation | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [customerTyping, setCustomerTyping] = useState(false);
  const [dialog, setDialog] = useState<'transfer' | 'resolve' | null>(null);
  const [agents, setAgents] = useState<Agent[]>([]);
  const transcript = useRef<HTMLOListElement>(null);
  const reload = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const base = `/api/console/conversations/${conversationId}`;

  const load = useCallback(async () => {
    const response = await fetch(base, { cache: 'no-store' });
    if (response.ok) {
      setDetail((await response.json()) as ConsoleConversation);
      setLoadError(null);
    } else {
      const body = (await response.json().catch(() => null)) as {
        error?: { message?: string };
      } | null;
      setLoadError(body?.error?.message ?? 'Could not load this conversation.');
    }
  }, [base]);

  useEffect(() => {
    void load();
  }, [load]);

  useConsoleEvents((event) => {
    if (event.conversationId !== conversationId) return;
    if (event.type === 'typing') {
      if (event.by !== 'customer') return;
      setCustomerTyping(true);
      clearTimeout(typingTimer.current);
      typingTimer.current = setTimeout(() => setCustomerTyping(false), 4000);
      return;
    }
    if (event.type === 'message.created' && event.message?.role === 'customer')
      setCustomerTyping(false);
    clearTimeout(reload.current);
    reload.current = setTimeout(() => void load(), 100);
  });

  const entryCount = (detail?.messages.length ?? 0) + (detail?.notes.length ?? 0);
  useEffect(() => {
    if (entryCount) transcript.current?.scrollTo({ top: transcript.current.scrollHeight });
  }, [entryCount]);

  async function act(path: string, body?: unknown) {
    setActionError(null);
    try {
      await post(`${base}/${path}`, body);
      setDialog(null);
    } catch (error) {
      setActionError((error as Error).message);
    } finally {
      await load();
    }
  }

  async function openTransfer() {
    setDialog('transfer');
    const response = await fetch('/api/console/agents', { cache: 'no-store' });
    if (response.ok) {
      const { agents } = (await response.json()) as { agents: Agent[] };
      setAgents(agents.filter((a) => a.id !== me.id));
    }
  }

  if (loadError)
    return (
      <p role="alert" className="p-6 text-sm text-red-700">
        {loadError}
      </p>
    );
  if (!detail) return <p className="p-6 text-sm text-ink-500">Loading…</p>;

  const { conversation, customer } = detail;
  const mine = conversation.owner === 'human' && conversation.assignedAgent?.id === me.id;
  const canManage = mine || (conversation.owner === 'human' && me.role === 'admin');
  const ownerLine =
    conversation.status === 'resolved'
      ? 'Resolved'
      : conversation.owner === 'human'
        ? mine
          ? 'You have this conversation'
          : `${conversation.assignedAgent?.name ?? 'An agent'} has this conversation`
        : conversation.owner === 'none'
          ? 'Waiting for a person'
          : 'The AI assistant is answering';

  return (
    <div className="flex h-full min-h-0">
      <section aria-label="Conversation" className="flex min-w-0 flex-1 flex-col">
        <header className="border-b border-gray-200 bg-white px-4 py-3">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-base font-semibold">
              {customer.name ?? customer.email ?? 'Visitor'}
            </h1>
            {/* The conversation's labels, not its last message's: see conversation-labels.ts. */}
            <span data-testid="conversation-labels" className="flex flex-wrap items-center gap-2">
              <PriorityBadge priority={conversation.priority} />
              {conversation.category && (
                <Badge className="bg-blue-50 text-blue-800">
                  {categoryLabel(conversation.category)}
                </Badge>
              )}
              <SentimentBadge polarity={conversation.sentiment?.polarity ?? null} />
              <TrendBadge trend={conversation.sentiment?.trend} showSteady />
              {conversation.language && (
                <Badge className="bg-gray-100 text-ink-700">{conversation.language}</Badge>
              )}
            </span>
          </div>
          {conversation.topic && (
            <p className="mt-0.5 text-sm font-medium" data-testid="topic">
              {conversation.topic}
            </p>
          )}
          <p className="mt-0.5 text-sm text-ink-500" data-testid="owner-line">
            {ownerLine}
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            {!mine && conversation.owner !== 'human' && (
              <ActionButton primary onClick={() => void act('take-over')}>
                Take over
              </ActionButton>
            )}
            {canManage && (
              <>
                <ActionButton onClick={() => void act('hand-back')}>Hand back to AI</ActionButton>
                <ActionButton onClick={() => void openTransfer()}>Transfer</ActionButton>
              </>
            )}
            {conversation.status !== 'resolved' &&
              (conversation.owner !== 'human' || canManage) && (
                <ActionButton onClick={() => setDialog('resolve')}>Resolve</ActionButton>
              )}
            {me.role === 'admin' && (
              <Link
                href={`/admin/tests?conversation=${conversationId}`}
                className="rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-gray-100"
              >
                Turn into a test
              </Link>
            )}
          </div>
          {actionError && (
            <p role="alert" className="mt-2 rounded bg-red-50 px-2 py-1 text-sm text-red-700">
              {actionError}
            </p>
          )}
          {dialog === 'transfer' && (
            <TransferForm
              agents={agents}
              onCancel={() => setDialog(null)}
              onTransfer={(agentId) => void act('transfer', { agentId })}
            />
          )}
          {dialog === 'resolve' && (
            <ResolveForm
              onCancel={() => setDialog(null)}
              onResolve={(note) => void act('resolve', note ? { note } : {})}
            />
          )}
        </header>
        <ol
          ref={transcript}
          aria-label="Transcript"
          className="min-h-0 flex-1 space-y-3 overflow-y-auto px-4 py-4"
        >
          {threadOf(detail.messages, detail.notes).map((entry) =>
            entry.kind === 'note' ? (
              <NoteEntry key={entry.note.id} note={entry.note} />
            ) : (
              <TranscriptEntry key={entry.message.id} message={entry.message} />
            ),
          )}
          {customerTyping && (
            <li role="status" className="text-xs text-ink-500">
              {customer.name ?? 'The customer'} is typing…
            </li>
          )}
        </ol>
        <ReplyBox
          conversationId={conversationId}
          enabled={mine}
          disabledReason={
            conversation.owner === 'human'
              ? `${conversation.assignedAgent?.name} has this conversation.`
              : 'Take over to reply.'
          }
          onSent={() => void load()}
        />
      </section>
      <ContextPanel detail={detail} onActionDecided={() => void load()} />
    </div>
  );
}

function ActionButton({
  children,
  onClick,
  primary = false,
}: {
  children: React.ReactNode;
  onClick: () => void;
  primary?: boolean;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${primary ? 'bg-brand-600 text-white hover:bg-brand-700' : 'border border-gray-300 bg-white hover:bg-gray-100'}`}
    >
      {children}
    </button>
  );
}

function TransferForm({
  agents,
  onCancel,
  onTransfer,
}: {
  agents: Agent[];
  onCancel: () => void;
  onTransfer: (agentId: string) => void;
}) {
  const [agentId, setAgentId] = useState('');
  return (
    <form
      className="mt-2 flex flex-wrap items-center gap-2 rounded-md bg-gray-50 p-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (agentId) onTransfer(agentId);
      }}
    >
      <label className="text-sm">
        Transfer to{' '}
        <select
          value={agentId}
          onChange={(e) => setAgentId(e.target.value)}
          className="rounded border border-gray-300 bg-white px-2 py-1"
        >
          <option value="">Choose an agent…</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.available ? ' (online)' : ''}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        disabled={!agentId}
        className="rounded-md bg-brand-600 px-3 py-1 text-sm text-white disabled:opacity-50"
      >
        Confirm transfer
      </button>
      <button type="button" onClick={onCancel} className="text-sm text-ink-500 hover:underline">
        Cancel
      </button>
    </form>
  );
}

function ResolveForm({
  onCancel,
  onResolve,
}: {
  onCancel: () => void;
  onResolve: (note: string) => void;
}) {
  const [note, setNote] = useState('');
  return (
    <form
      className="mt-2 space-y-2 rounded-md bg-gray-50 p-2"
      onSubmit={(e) => {
        e.preventDefault();
        onResolve(note.trim());
      }}
    >
      <label className="block text-sm">
        Resolution note (optional, agents only)
        <textarea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={2}
          className="mt-1 w-full rounded border border-gray-300 px-2 py-1 text-sm"
        />
      </label>
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1 text-sm text-white">
          Confirm resolve
        </button>
        <button type="button" onClick={onCancel} className="text-sm text-ink-500 hover:underline">
          Cancel
        </button>
      </div>
    </form>
  );
}

const AUTHOR_STYLE: Record<ConsoleMessage['role'], string> = {
  customer: 'bg-white border border-gray-200',
  ai: 'bg-blue-50',
  agent: 'bg-green-50',
  system: '',
};

const clock = (at: string) =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** A note in the thread: marked as the team's own, in a style no customer-facing message has. */
function NoteEntry({ note }: { note: Note }) {
  return (
    <li data-role="note" className="ml-12">
      <div className="mb-0.5 flex items-center gap-2 text-[11px] text-ink-500">
        <span className="font-medium text-ink-700">{note.authorName}</span>
        <span className="inline-flex items-center gap-1 font-medium text-amber-800">
          <Lock aria-hidden="true" className="size-3" />
          Internal note · not shown to the customer
        </span>
        <span>{clock(note.createdAt)}</span>
      </div>
      <div className="whitespace-pre-wrap rounded-lg border border-dashed border-amber-400 bg-amber-50 px-3 py-2 text-sm text-ink-900">
        {note.content}
      </div>
    </li>
  );
}

function TranscriptEntry({ message }: { message: ConsoleMessage }) {
  const time = clock(message.createdAt);
  if (message.role === 'system') {
    return (
      <li data-role="system" className="text-center text-xs text-ink-500">
        {message.content}
        {message.note && <span className="block italic">Note: {message.note}</span>}
        <span className="ml-1">· {time}</span>
      </li>
    );
  }
  const who =
    message.role === 'customer'
      ? 'Customer'
      : message.role === 'ai'
        ? 'AI assistant'
        : (message.agent?.name ?? 'Agent');
  return (
    <li data-role={message.role} className={message.role === 'customer' ? 'mr-12' : 'ml-12'}>
      <div className="mb-0.5 flex items-center gap-2 text-[11px] text-ink-500">
        <span className="font-medium text-ink-700">{who}</span>
        <span>{time}</span>
        {message.abstained && <Badge className="bg-amber-50 text-amber-800">unsure</Badge>}
        {message.tools?.map((t) => (
          <Badge key={t} className="bg-purple-50 text-purple-800">
            {t}
          </Badge>
        ))}
      </div>
      <div className={`prose-answer rounded-lg px-3 py-2 text-sm ${AUTHOR_STYLE[message.role]}`}>
        <ReactMarkdown remarkPlugins={[remarkGfm]}>{message.content}</ReactMarkdown>
        {message.attachments?.map((a) => (
          <a
            key={a.id}
            href={`/api/chat/attachments/${a.id}`}
            className="mr-2 inline-flex items-center gap-0.5 text-xs"
          >
            <Paperclip aria-hidden="true" className="size-3" />
            {a.filename}
          </a>
        ))}
        {message.citations && (
          <p className="mt-1 text-[11px] text-ink-500">
            Sources: {message.citations.map((c) => c.title).join(', ')}
          </p>
        )}
      </div>
    </li>
  );
}
