import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { type ConversationEventKind, conversations, messages, tickets, users } from '@/db/schema';
import type { App } from '@/lib/app';
import { TandemError } from '@/lib/errors';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import type { StaffUser } from '@/lib/staff/queries';
import { emitWebhookEvent, messageEventData, ticketEventData } from '@/lib/webhooks/events';
import type { Conversation, Message } from './queries';

/*
 * Who answers a conversation: ai → waiting for a person (owner none) → a person (owner human,
 * assigned agent) → back to the ai, or resolved. Every change is one conditional UPDATE, so two
 * agents acting at once cannot both win, and each is recorded as a system message.
 */

export async function takeOver(app: App, agent: StaffUser, conversationId: string) {
  return changeHands(app, conversationId, {
    where: or(ne(conversations.owner, 'human'), eq(conversations.assignedAgentId, agent.id)),
    set: {
      owner: 'human',
      assignedAgentId: agent.id,
      status: 'open',
      resolvedAt: null,
      resolvedBy: null,
      handledByHuman: true,
      claimedAt: new Date(),
    },
    event: 'joined',
    content: `${agent.name} joined the conversation`,
    agent,
    refusal: (holder) => `${holder ?? 'Another agent'} has already taken over this conversation.`,
  });
}

export async function handBack(app: App, agent: StaffUser, conversationId: string) {
  return changeHands(app, conversationId, {
    ...heldBy(agent),
    set: { owner: 'ai', assignedAgentId: null, status: 'open' },
    event: 'handed_back',
    content: `${agent.name} handed the conversation back to the AI assistant`,
    agent,
    refusal: (holder) =>
      holder
        ? `${holder} has this conversation; only they or an admin can hand it back.`
        : 'No person has this conversation, so there is nothing to hand back.',
  });
}

export async function transfer(
  app: App,
  agent: StaffUser,
  conversationId: string,
  toAgentId: string,
) {
  const { db } = app.database;
  const [target] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, toAgentId), isNull(users.deactivatedAt)));
  if (!target) throw new TandemError('not_found:user', 'No active agent has that id.');
  if (target.id === agent.id) {
    throw new TandemError('bad_request:transfer', 'Choose another agent to transfer to.');
  }
  return changeHands(app, conversationId, {
    ...heldBy(agent),
    set: { owner: 'human', assignedAgentId: target.id, status: 'open', claimedAt: new Date() },
    event: 'transferred',
    content: `${agent.name} transferred the conversation to ${target.name}`,
    agent: target,
    refusal: (holder) =>
      holder
        ? `${holder} has this conversation; only they or an admin can transfer it.`
        : 'Take over the conversation before transferring it.',
  });
}

export async function resolve(app: App, agent: StaffUser, conversationId: string, note?: string) {
  return changeHands(app, conversationId, {
    where: and(
      ne(conversations.status, 'resolved'),
      agent.role === 'admin'
        ? undefined
        : or(ne(conversations.owner, 'human'), eq(conversations.assignedAgentId, agent.id)),
    ),
    // The resolver stays assigned, so "mine" can show what they resolved; the AI answers if the customer returns.
    set: {
      owner: 'ai',
      assignedAgentId: agent.id,
      status: 'resolved',
      resolvedAt: new Date(),
      resolvedBy: 'human',
      handledByHuman: true,
    },
    event: 'resolved',
    content: `${agent.name} resolved the conversation`,
    agent,
    note,
    refusal: (holder, c) =>
      c.status === 'resolved'
        ? 'This conversation is already resolved.'
        : `${holder ?? 'Another agent'} has this conversation; only they or an admin can resolve it.`,
    alsoInTransaction: (tx) =>
      settleResolved(tx, conversationId, {
        resolved_by: 'human',
        agent: { id: agent.id, name: agent.name },
      }),
  });
}

/**
 * Resolves a conversation no person holds, for a caller that is not an agent (the public API);
 * one an agent holds is theirs to close.
 */
export async function resolveUnheld(
  app: App,
  conversationId: string,
  { note, by }: { note?: string; by: string },
) {
  const [current] = await app.database.db
    .select({ handledByHuman: conversations.handledByHuman })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  const resolvedBy = current?.handledByHuman ? 'human' : 'ai';
  return changeHands(app, conversationId, {
    where: and(ne(conversations.status, 'resolved'), ne(conversations.owner, 'human')),
    set: { owner: 'ai', status: 'resolved', resolvedAt: new Date(), resolvedBy },
    event: 'resolved',
    content: 'The conversation was resolved',
    note: note ? `${note} (${by})` : undefined,
    refusal: (holder, c) =>
      c.status === 'resolved'
        ? 'This conversation is already resolved.'
        : `${holder ?? 'An agent'} has this conversation; pass their agent_email to resolve it as them.`,
    alsoInTransaction: (tx) =>
      settleResolved(tx, conversationId, { resolved_by: resolvedBy, via: by }),
  });
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

/** An agent's reply; only the agent who has the conversation may send one. */
export async function sendAgentReply(
  app: App,
  agent: StaffUser,
  conversationId: string,
  text: string,
): Promise<Message> {
  const { db } = app.database;
  const message = await db.transaction(async (tx) => {
    const [conversation] = await tx
      .update(conversations)
      .set({
        lastMessageAt: new Date(),
        firstAgentReplyAt: sql`coalesce(${conversations.firstAgentReplyAt}, now())`,
      })
      .where(
        and(
          eq(conversations.id, conversationId),
          eq(conversations.owner, 'human'),
          eq(conversations.assignedAgentId, agent.id),
        ),
      )
      .returning({ id: conversations.id });
    if (!conversation)
      await refuse(tx, conversationId, 'Take over the conversation before replying.');
    const [inserted] = await tx
      .insert(messages)
      .values({
        conversationId,
        role: 'agent',
        authorId: agent.id,
        content: text,
        parts: [{ type: 'text', text }],
        metadata: { agent: { id: agent.id, name: agent.name } },
      })
      .returning();
    await emitWebhookEvent(tx, 'message.created', messageEventData(inserted!));
    return inserted!;
  });
  void publishConversationEvent(app, conversationId, {
    type: 'message.created',
    message: toLiveMessage(message),
  });
  return message;
}

interface Change {
  where: ReturnType<typeof and>;
  set: Partial<typeof conversations.$inferInsert>;
  event: ConversationEventKind;
  content: string;
  /** The agent the change is by or for; none when the public API acts. */
  agent?: { id: string; name: string };
  note?: string;
  refusal: (holder: string | null, conversation: Conversation) => string;
  alsoInTransaction?: (tx: Database) => Promise<void>;
}

function heldBy(agent: StaffUser) {
  return {
    where: and(
      eq(conversations.owner, 'human'),
      agent.role === 'admin' ? undefined : eq(conversations.assignedAgentId, agent.id),
    ),
  };
}

async function changeHands(
  app: App,
  conversationId: string,
  change: Change,
): Promise<{ conversation: Conversation; event: Message }> {
  const result = await app.database.db.transaction(async (tx) => {
    const [conversation] = await tx
      .update(conversations)
      .set(change.set)
      .where(and(eq(conversations.id, conversationId), change.where))
      .returning();
    if (!conversation) {
      const [current] = await tx
        .select()
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      if (!current) throw new TandemError('not_found:conversation', 'No conversation has that id.');
      const holder = await holderName(tx, current);
      throw new TandemError('conflict:conversation', change.refusal(holder, current), {
        owner: current.owner,
        status: current.status,
        assignedAgent: current.assignedAgentId
          ? { id: current.assignedAgentId, name: holder }
          : null,
      });
    }
    const [event] = await tx
      .insert(messages)
      .values({
        conversationId,
        role: 'system',
        content: change.content,
        metadata: {
          event: change.event,
          ...(change.agent ? { agent: change.agent } : {}),
          ...(change.note ? { note: change.note } : {}),
        },
      })
      .returning();
    await change.alsoInTransaction?.(tx);
    return { conversation, event: event! };
  });
  void publishConversationEvent(app, conversationId, {
    type: 'message.created',
    message: toLiveMessage(result.event),
  });
  void publishConversationEvent(app, conversationId, { type: 'conversation.updated' });
  return result;
}

async function holderName(db: Database, c: Conversation): Promise<string | null> {
  if (c.owner !== 'human' || !c.assignedAgentId) return null;
  const [user] = await db
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, c.assignedAgentId));
  return user?.name ?? null;
}

async function refuse(db: Database, conversationId: string, message: string): Promise<never> {
  const [current] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!current) throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const holder = await holderName(db, current);
  throw new TandemError(
    'conflict:conversation',
    holder ? `${holder} has this conversation. ${message}` : message,
    { owner: current.owner, status: current.status },
  );
}
