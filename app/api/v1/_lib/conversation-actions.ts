import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { conversations } from '@/db/schema';
import type { ApiCaller } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { resolve, resolveUnheld, sendAgentReply, takeOver } from '@/lib/conversations/handoff';
import { TandemError } from '@/lib/errors';
import { findActiveStaffByEmail } from '@/lib/staff/queries';
import { escalateConversation } from '@/lib/turn/escalate-conversation';
import type { agentMessageBody, escalateBody, resolveBody } from './schemas';

async function conversationOrThrow(app: AppContext, id: string) {
  const [conversation] = await app.database.db
    .select()
    .from(conversations)
    .where(eq(conversations.id, id));
  if (!conversation)
    throw new TandemError('not_found:conversation', 'No conversation has that id.');
  return conversation;
}

async function staffByEmail(app: AppContext, email: string) {
  const staff = await findActiveStaffByEmail(app.database.db, email);
  if (!staff) throw new TandemError('not_found:agent', `No active agent has the email ${email}.`);
  return staff;
}

/** Hands the conversation to the team, as the pipeline would; already escalated is no change. */
export async function escalateFromApi(
  app: AppContext,
  id: string,
  body: z.infer<typeof escalateBody>,
  caller: ApiCaller,
) {
  const conversation = await conversationOrThrow(app, id);
  if (conversation.owner !== 'ai') {
    return {
      id,
      escalated: false,
      status: conversation.status,
      owner: conversation.owner,
      ticket: null,
    };
  }
  const handOff = await escalateConversation(app, {
    conversationId: id,
    customerId: conversation.customerId,
    reason: 'api_request',
    explanation: body.reason ?? `Escalated through the API (${caller.name}).`,
    priority: body.priority ?? conversation.priority ?? 'medium',
    subject: body.reason ?? `Escalated through the API (${caller.name})`,
  });
  return {
    id,
    escalated: handOff.ticket !== null,
    status: 'waiting',
    owner: 'none',
    ticket: handOff.ticket,
  };
}

/** Resolves the conversation: as the named agent (their permissions apply), or for the caller when no person holds it. */
export async function resolveFromApi(
  app: AppContext,
  id: string,
  body: z.infer<typeof resolveBody>,
  caller: ApiCaller,
) {
  if (body.agent_email) {
    const { conversation } = await resolve(
      app,
      await staffByEmail(app, body.agent_email),
      id,
      body.note,
    );
    return { id, status: conversation.status };
  }
  await resolveUnheld(app, id, { note: body.note, by: caller.name });
  return { id, status: 'resolved' };
}

/** An agent's reply through the API: the agent takes the conversation first if nobody has it. */
export async function agentMessageFromApi(
  app: AppContext,
  id: string,
  body: z.infer<typeof agentMessageBody>,
) {
  const agent = await staffByEmail(app, body.agent_email);
  const conversation = await conversationOrThrow(app, id);
  if (!(conversation.owner === 'human' && conversation.assignedAgentId === agent.id)) {
    await takeOver(app, agent, id);
  }
  const message = await sendAgentReply(app, agent, id, body.message);
  return {
    id: message.id,
    conversation_id: id,
    agent_name: agent.name,
    created_at: message.createdAt.toISOString(),
  };
}
