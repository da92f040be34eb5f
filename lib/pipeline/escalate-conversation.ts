import { and, eq } from 'drizzle-orm';
import { conversations, messages } from '@/db/schema';
import type { App } from '@/lib/app';
import type { Priority } from '@/lib/classify/schema';
import { createTicket, formatTicketNumber } from '@/lib/tickets/queries';
import { publishConversationEvent } from './events';

/**
 * Hands a conversation to the human team: it waits for a person, the reason is recorded, and a
 * ticket keeps it from being lost. Returns what the customer is told, honestly: why, and what
 * happens next. Escalating an already escalated conversation changes nothing.
 */
export async function escalateConversation(
  app: App,
  input: {
    conversationId: string;
    customerId: string;
    reason: string;
    explanation: string;
    priority: Priority;
    subject: string;
  },
): Promise<{ message: string; ticket: string | null }> {
  const { db } = app.database;
  const result = await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(conversations)
      .set({
        status: 'waiting',
        owner: 'none',
        escalationReason: input.reason,
        escalatedAt: new Date(),
      })
      .where(and(eq(conversations.id, input.conversationId), eq(conversations.owner, 'ai')))
      .returning({ id: conversations.id });
    if (!moved) return null;
    const ticket = await createTicket(tx, {
      customerId: input.customerId,
      conversationId: input.conversationId,
      subject: input.subject,
      description: `Escalated from chat (${input.reason}). ${input.explanation}`,
      priority: input.priority,
    });
    await tx.insert(messages).values({
      conversationId: input.conversationId,
      role: 'system',
      content: `Escalated to the support team (${input.reason}); ticket ${formatTicketNumber(ticket.number)}.`,
      metadata: { escalation: { reason: input.reason, explanation: input.explanation } },
    });
    return formatTicketNumber(ticket.number);
  });
  if (result === null) {
    return { message: 'A person from our support team will reply here.', ticket: null };
  }
  void publishConversationEvent(app, input.conversationId, {
    type: 'conversation.escalated',
    reason: input.reason,
    ticket: result,
  });
  return {
    ticket: result,
    message: `${input.explanation} I've passed our conversation to the support team with a summary, so you won't need to repeat yourself, and opened ticket **${result}** so it can't get lost. A person will reply right here — you can keep writing in the meantime.`,
  };
}
