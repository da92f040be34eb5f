import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { type ConversationEventKind, conversations, messages, tickets, users } from '@/db/schema';
import type { Priority } from '@/lib/classify/schema';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import {
  type ConversationEvent,
  publishConversationEvent,
  toLiveMessage,
} from '@/lib/events/conversation-events';
import { getMetrics } from '@/lib/observability/metrics';
import { describeQuietTime } from '@/lib/settings/schema';
import { createTicket, formatTicketNumber } from '@/lib/tickets/queries';
import { emitWebhookEvent, ticketEventData } from '@/lib/webhooks/events';
import { type EscalationReason, escalationReasonLabel } from './escalation-reasons';

/*
 * Who answers a conversation: the ai → waiting for a person (owner none) → a person (owner human,
 * assigned agent) → back to the ai, or resolved. This module is the only writer of a
 * conversation's `status` and `owner`: each change is one event, checked by the pure `nextState`
 * and written by `transition` as one conditional UPDATE on the locked row, together with its
 * system message and webhook outbox rows; its live events go out once the transaction commits.
 */

type Conversation = typeof conversations.$inferSelect;
type Message = typeof messages.$inferSelect;

export type ConversationStatus = Conversation['status'];
export type ConversationOwner = Conversation['owner'];

/** The columns a transition decides. */
export interface LifecycleState {
  status: ConversationStatus;
  owner: ConversationOwner;
  assignedAgentId: string | null;
  resolvedBy: 'ai' | 'human' | null;
  /** A person took part at some point; never cleared. */
  handledByHuman: boolean;
}

/** A member of staff acting on a conversation. */
export interface Actor {
  id: string;
  name: string;
  role: 'agent' | 'admin';
}

export type LifecycleEvent =
  /**
   * A customer message arrived. A resolved conversation is not opened again by its customer:
   * their message starts a follow-up conversation (`recordCustomerMessage`).
   */
  | { type: 'customer_wrote' }
  | {
      type: 'escalate';
      reason: EscalationReason;
      explanation: string;
      priority: Priority;
      subject: string;
    }
  | { type: 'take_over'; agent: Actor }
  | { type: 'hand_back'; by: Actor }
  | { type: 'transfer'; by: Actor; to: { id: string; name: string } }
  | { type: 'resolve'; by: Actor; note?: string }
  /** Resolved by a caller that is not an agent (the public API); only when no person holds it. */
  | { type: 'resolve_unheld'; via: string; note?: string }
  /** The inactivity policy: the customer went quiet while the assistant had the conversation. */
  | { type: 'resolve_inactive'; quietSeconds: number };

export type Refusal =
  /** A person holds it (or, for escalate, it is not with the ai). */
  | 'held'
  /** Nobody this actor may act for holds it. */
  | 'not_held'
  | 'already_resolved';

export type NextState = { ok: true; state: LifecycleState } | { ok: false; refusal: Refusal };

const heldBy = (s: LifecycleState, actor: Actor) =>
  s.owner === 'human' && (actor.role === 'admin' || s.assignedAgentId === actor.id);

/** The state `event` leads to from `state`, or why it may not happen. Pure. */
export function nextState(state: LifecycleState, event: LifecycleEvent): NextState {
  const to = (change: Partial<LifecycleState>): NextState => ({
    ok: true,
    state: { ...state, ...change },
  });
  switch (event.type) {
    case 'customer_wrote':
      return state.status === 'resolved' ? { ok: false, refusal: 'already_resolved' } : to({});
    case 'escalate':
      if (state.owner !== 'ai') return { ok: false, refusal: 'held' };
      return to({ status: 'waiting', owner: 'none', assignedAgentId: null });
    case 'take_over':
      if (state.owner === 'human' && state.assignedAgentId !== event.agent.id) {
        return { ok: false, refusal: 'held' };
      }
      return to({
        owner: 'human',
        assignedAgentId: event.agent.id,
        status: 'open',
        resolvedBy: null,
        handledByHuman: true,
      });
    case 'hand_back':
      if (!heldBy(state, event.by)) return { ok: false, refusal: 'not_held' };
      return to({ owner: 'ai', assignedAgentId: null, status: 'open' });
    case 'transfer':
      if (!heldBy(state, event.by)) return { ok: false, refusal: 'not_held' };
      return to({ owner: 'human', assignedAgentId: event.to.id, status: 'open' });
    case 'resolve':
      if (state.status === 'resolved') return { ok: false, refusal: 'already_resolved' };
      if (
        event.by.role !== 'admin' &&
        state.owner === 'human' &&
        state.assignedAgentId !== event.by.id
      ) {
        return { ok: false, refusal: 'held' };
      }
      // The resolver stays assigned, so "mine" and their figures show what they resolved; a
      // customer who writes again starts a follow-up conversation, which the AI answers.
      return to({
        owner: 'ai',
        assignedAgentId: event.by.id,
        status: 'resolved',
        resolvedBy: 'human',
        handledByHuman: true,
      });
    case 'resolve_unheld':
      if (state.status === 'resolved') return { ok: false, refusal: 'already_resolved' };
      if (state.owner === 'human') return { ok: false, refusal: 'held' };
      return to({
        owner: 'ai',
        status: 'resolved',
        resolvedBy: state.handledByHuman ? 'human' : 'ai',
      });
    case 'resolve_inactive':
      if (state.status === 'resolved') return { ok: false, refusal: 'already_resolved' };
      // Waiting for a person, or held by one: the customer is owed a reply, not a closing.
      if (state.owner !== 'ai' || state.status !== 'open') return { ok: false, refusal: 'held' };
      // Nobody resolved it: the assistant closed it. Its outcome is judged from how it ended.
      return to({ status: 'resolved', resolvedBy: 'ai' });
  }
}

export function stateOf(c: LifecycleState): LifecycleState {
  return {
    status: c.status,
    owner: c.owner,
    assignedAgentId: c.assignedAgentId,
    resolvedBy: c.resolvedBy,
    handledByHuman: c.handledByHuman,
  };
}

export interface Transitioned {
  conversation: Conversation;
  /** The system message recording the change; none for a customer's message. */
  event: Message | null;
  /** The escalation's ticket, formatted (TKT-…). */
  ticket?: string;
  /** Told to consoles and widgets once the transaction commits (see `announceTransition`). */
  live: ConversationEvent[];
  /** The escalation reason to count once committed. */
  escalated?: EscalationReason;
}

/**
 * Applies `event` to the conversation inside `tx`: the row is locked, `nextState` decides, one
 * conditional UPDATE writes it, then the transition's system message and webhook rows. Refused
 * (or not owned by `expectedOwner`) with `conflict:conversation`; a missing row is `not_found`.
 */
export async function transition(
  tx: Database,
  conversationId: string,
  event: LifecycleEvent,
  { expectedOwner }: { expectedOwner?: ConversationOwner } = {},
): Promise<Transitioned> {
  const [current] = await tx
    .select()
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .for('update');
  if (!current) throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const next = nextState(stateOf(current), event);
  if (!next.ok || (expectedOwner && current.owner !== expectedOwner)) {
    throw await refusalError(tx, current, event, next.ok ? 'held' : next.refusal);
  }
  const now = new Date();
  const [conversation] = await tx
    .update(conversations)
    .set({ ...next.state, ...stampsOf(event, now) })
    .where(
      and(
        eq(conversations.id, conversationId),
        eq(conversations.owner, current.owner),
        eq(conversations.status, current.status),
      ),
    )
    .returning();
  if (!conversation) throw await refusalError(tx, current, event, 'held');
  return writeEffects(tx, conversation, event);
}

/** Runs `transition` in its own transaction and announces it once committed. */
export async function applyTransition(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  conversationId: string,
  event: LifecycleEvent,
  options?: { expectedOwner?: ConversationOwner },
): Promise<Transitioned> {
  const result = await ctx.database.db.transaction((tx) =>
    transition(tx, conversationId, event, options),
  );
  announceTransition(ctx, conversationId, result);
  return result;
}

/** What a committed transition tells the world outside the database. Never throws. */
export function announceTransition(
  ctx: Pick<AppContext, 'cache'>,
  conversationId: string,
  result: Transitioned,
) {
  if (result.escalated) getMetrics().escalations.inc({ reason: result.escalated });
  for (const live of result.live) void publishConversationEvent(ctx, conversationId, live);
}

/**
 * The timestamps and records an event sets besides the state. Only a standing inactivity
 * resolution is marked as one: any other change of state clears the mark.
 */
function stampsOf(event: LifecycleEvent, now: Date): Partial<typeof conversations.$inferInsert> {
  switch (event.type) {
    case 'customer_wrote':
      return {};
    case 'escalate':
      return { escalationReason: event.reason, escalatedAt: now, resolvedForInactivity: false };
    case 'take_over':
      return { resolvedAt: null, claimedAt: now, resolvedForInactivity: false };
    case 'transfer':
      return { claimedAt: now, resolvedForInactivity: false };
    case 'resolve':
    case 'resolve_unheld':
      return { resolvedAt: now, resolvedForInactivity: false };
    case 'resolve_inactive':
      return { resolvedAt: now, resolvedForInactivity: true };
    case 'hand_back':
      return { resolvedForInactivity: false };
  }
}

async function writeEffects(
  tx: Database,
  conversation: Conversation,
  event: LifecycleEvent,
): Promise<Transitioned> {
  const id = conversation.id;
  switch (event.type) {
    case 'customer_wrote':
      return { conversation, event: null, live: [] };
    case 'escalate': {
      const label = escalationReasonLabel(event.reason).toLowerCase();
      const ticket = await createTicket(tx, {
        customerId: conversation.customerId,
        conversationId: id,
        subject: event.subject,
        description: `Escalated from chat (${label}). ${event.explanation}`,
        priority: event.priority,
      });
      const formatted = formatTicketNumber(ticket.number);
      const system = await recordSystemMessage(tx, id, {
        content: `Escalated to the support team (${label}); ticket ${formatted}.`,
        event: 'escalated',
        escalation: { reason: event.reason, explanation: event.explanation },
      });
      await emitWebhookEvent(tx, 'conversation.escalated', {
        conversation_id: id,
        customer_id: conversation.customerId,
        reason: event.reason,
        explanation: event.explanation,
        ticket: { id: ticket.id, number: ticket.number },
      });
      return {
        conversation,
        event: system,
        ticket: formatted,
        escalated: event.reason,
        live: [
          { type: 'message.created', message: toLiveMessage(system) },
          { type: 'conversation.escalated', reason: event.reason, ticket: formatted },
        ],
      };
    }
    case 'take_over':
      return changedHands(tx, conversation, {
        content: `${event.agent.name} joined the conversation`,
        event: 'joined',
        agent: event.agent,
      });
    case 'hand_back':
      return changedHands(tx, conversation, {
        content: `${event.by.name} handed the conversation back to the AI assistant`,
        event: 'handed_back',
        agent: event.by,
      });
    case 'transfer':
      return changedHands(tx, conversation, {
        content: `${event.by.name} transferred the conversation to ${event.to.name}`,
        event: 'transferred',
        agent: event.to,
      });
    case 'resolve': {
      const result = await changedHands(tx, conversation, {
        content: `${event.by.name} resolved the conversation`,
        event: 'resolved',
        agent: event.by,
        note: event.note,
      });
      await settleResolved(tx, id, {
        resolved_by: 'human',
        agent: { id: event.by.id, name: event.by.name },
      });
      return result;
    }
    case 'resolve_unheld': {
      const result = await changedHands(tx, conversation, {
        content: 'The conversation was resolved',
        event: 'resolved',
        note: event.note ? `${event.note} (${event.via})` : undefined,
      });
      await settleResolved(tx, id, { resolved_by: conversation.resolvedBy, via: event.via });
      return result;
    }
    case 'resolve_inactive': {
      const result = await changedHands(tx, conversation, {
        content: `The conversation was resolved after ${describeQuietTime(event.quietSeconds)} without a reply from the customer`,
        event: 'resolved',
      });
      await settleResolved(tx, id, { resolved_by: 'ai', via: 'inactivity' });
      return result;
    }
  }
}

async function changedHands(
  tx: Database,
  conversation: Conversation,
  record: {
    content: string;
    event: ConversationEventKind;
    /** The agent the change is by or for; none when the public API acts. */
    agent?: { id: string; name: string };
    note?: string;
  },
): Promise<Transitioned> {
  const system = await recordSystemMessage(tx, conversation.id, {
    content: record.content,
    event: record.event,
    ...(record.agent ? { agent: { id: record.agent.id, name: record.agent.name } } : {}),
    ...(record.note ? { note: record.note } : {}),
  });
  return {
    conversation,
    event: system,
    live: [
      { type: 'message.created', message: toLiveMessage(system) },
      { type: 'conversation.updated' },
    ],
  };
}

async function recordSystemMessage(
  tx: Database,
  conversationId: string,
  { content, ...metadata }: { content: string } & Message['metadata'],
): Promise<Message> {
  const [system] = await tx
    .insert(messages)
    .values({ conversationId, role: 'system', content, metadata })
    .returning();
  return system!;
}

/** The tickets a conversation's escalations opened are settled with it, and subscribers told. */
async function settleResolved(
  tx: Database,
  conversationId: string,
  announce: Record<string, unknown>,
) {
  const settled = await tx
    .update(tickets)
    .set({ status: 'resolved' })
    .where(
      and(
        eq(tickets.conversationId, conversationId),
        inArray(tickets.status, ['open', 'in_progress']),
      ),
    )
    .returning();
  await emitWebhookEvent(tx, 'conversation.resolved', {
    conversation_id: conversationId,
    ...announce,
  });
  for (const ticket of settled)
    await emitWebhookEvent(tx, 'ticket.updated', ticketEventData(ticket));
}

function refusalMessage(event: LifecycleEvent, refusal: Refusal, holder: string | null): string {
  if (refusal === 'already_resolved') return 'This conversation is already resolved.';
  switch (event.type) {
    case 'take_over':
      return `${holder ?? 'Another agent'} has already taken over this conversation.`;
    case 'hand_back':
      return holder
        ? `${holder} has this conversation; only they or an admin can hand it back.`
        : 'No person has this conversation, so there is nothing to hand back.';
    case 'transfer':
      return holder
        ? `${holder} has this conversation; only they or an admin can transfer it.`
        : 'Take over the conversation before transferring it.';
    case 'resolve':
      return `${holder ?? 'Another agent'} has this conversation; only they or an admin can resolve it.`;
    case 'resolve_unheld':
      return `${holder ?? 'An agent'} has this conversation; pass their agent_email to resolve it as them.`;
    case 'resolve_inactive':
      return 'The conversation is no longer with the assistant.';
    case 'escalate':
    case 'customer_wrote':
      return 'The conversation is no longer with the assistant.';
  }
}

async function refusalError(
  tx: Database,
  current: Conversation,
  event: LifecycleEvent,
  refusal: Refusal,
): Promise<TandemError> {
  const holder = await holderName(tx, current);
  return new TandemError('conflict:conversation', refusalMessage(event, refusal, holder), {
    owner: current.owner,
    status: current.status,
    assignedAgent: current.assignedAgentId ? { id: current.assignedAgentId, name: holder } : null,
  });
}

/** The name of the person holding the conversation, if one does. */
export async function holderName(db: Database, c: Conversation): Promise<string | null> {
  if (c.owner !== 'human' || !c.assignedAgentId) return null;
  const [user] = await db
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, c.assignedAgentId));
  return user?.name ?? null;
}
