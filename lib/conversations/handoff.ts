import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, messages, users } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import type { StaffUser } from '@/lib/staff/queries';
import { emitWebhookEvent, messageEventData } from '@/lib/webhooks/events';
import { applyTransition, holderName } from './lifecycle';
import type { Conversation, Message } from './queries';

/*
 * What agents (and the public API) do to who answers a conversation; the state changes
 * themselves are the lifecycle's (see ./lifecycle.ts).
 */

type HandOver = Promise<{ conversation: Conversation; event: Message }>;

async function handOver(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  conversationId: string,
  event: Parameters<typeof applyTransition>[2],
): HandOver {
  const { conversation, event: system } = await applyTransition(ctx, conversationId, event);
  return { conversation, event: system! };
}

export async function takeOver(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  agent: StaffUser,
  conversationId: string,
): HandOver {
  return handOver(ctx, conversationId, { type: 'take_over', agent });
}

export async function handBack(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  agent: StaffUser,
  conversationId: string,
): HandOver {
  return handOver(ctx, conversationId, { type: 'hand_back', by: agent });
}

export async function transfer(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  agent: StaffUser,
  conversationId: string,
  toAgentId: string,
): HandOver {
  const { db } = ctx.database;
  const [target] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, toAgentId), isNull(users.deactivatedAt)));
  if (!target) throw new TandemError('not_found:user', 'No active agent has that id.');
  if (target.id === agent.id) {
    throw new TandemError('bad_request:transfer', 'Choose another agent to transfer to.');
  }
  return handOver(ctx, conversationId, { type: 'transfer', by: agent, to: target });
}

export async function resolve(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  agent: StaffUser,
  conversationId: string,
  note?: string,
): HandOver {
  return handOver(ctx, conversationId, { type: 'resolve', by: agent, note });
}

/**
 * Resolves a conversation no person holds, for a caller that is not an agent (the public API);
 * one an agent holds is theirs to close.
 */
export async function resolveUnheld(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  conversationId: string,
  { note, by }: { note?: string; by: string },
): HandOver {
  return handOver(ctx, conversationId, { type: 'resolve_unheld', via: by, note });
}

/** An agent's reply; only the agent who has the conversation may send one. */
export async function sendAgentReply(
  ctx: Pick<AppContext, 'database' | 'cache'>,
  agent: StaffUser,
  conversationId: string,
  text: string,
): Promise<Message> {
  const { db } = ctx.database;
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
  void publishConversationEvent(ctx, conversationId, {
    type: 'message.created',
    message: toLiveMessage(message),
  });
  return message;
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
