import { and, eq } from 'drizzle-orm';
import { conversations, customers, messages } from '@/db/schema';
import type { App } from '@/lib/app';
import type { Priority } from '@/lib/classify/schema';
import { sendEscalationAlert } from '@/lib/email/notifications';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import { getMetrics } from '@/lib/observability/metrics';
import { closedHoursNotice } from '@/lib/settings/business-hours';
import { getBusinessHours } from '@/lib/settings/settings';
import { countAvailableAgents } from '@/lib/staff/queries';
import { createTicket, formatTicketNumber } from '@/lib/tickets/queries';
import { emitWebhookEvent } from '@/lib/webhooks/events';
import { escalationReasonLabel } from './escalation-policy';

/**
 * Hands a conversation to the human team: it waits for a person, the reason is recorded, and a
 * ticket keeps it from being lost. Returns what the customer is told, honestly: why, and what
 * happens next — someone joins shortly when an agent is online, otherwise a reply by email (and,
 * outside business hours, what the hours are and when the team is back).
 * Escalating an already escalated conversation changes nothing.
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
    /** The moment business hours are judged at; the clock by default. */
    now?: Date;
  },
): Promise<{ message: string; ticket: string | null }> {
  const { db } = app.database;
  const result = await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(conversations)
      .set({
        status: 'waiting',
        owner: 'none',
        assignedAgentId: null,
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
      description: `Escalated from chat (${escalationReasonLabel(input.reason).toLowerCase()}). ${input.explanation}`,
      priority: input.priority,
    });
    const [event] = await tx
      .insert(messages)
      .values({
        conversationId: input.conversationId,
        role: 'system',
        content: `Escalated to the support team (${escalationReasonLabel(input.reason).toLowerCase()}); ticket ${formatTicketNumber(ticket.number)}.`,
        metadata: {
          event: 'escalated',
          escalation: { reason: input.reason, explanation: input.explanation },
        },
      })
      .returning();
    await emitWebhookEvent(tx, 'conversation.escalated', {
      conversation_id: input.conversationId,
      customer_id: input.customerId,
      reason: input.reason,
      explanation: input.explanation,
      ticket: { id: ticket.id, number: ticket.number },
    });
    return { ticket: formatTicketNumber(ticket.number), event: event! };
  });
  if (result === null) {
    return { message: 'A person from our support team will reply here.', ticket: null };
  }
  getMetrics().escalations.inc({ reason: input.reason });
  void publishConversationEvent(app, input.conversationId, {
    type: 'message.created',
    message: toLiveMessage(result.event),
  });
  void publishConversationEvent(app, input.conversationId, {
    type: 'conversation.escalated',
    reason: input.reason,
    ticket: result.ticket,
  });

  const ticket = `**${result.ticket}**`;
  if ((await countAvailableAgents(db)) > 0) {
    return {
      ticket: result.ticket,
      message: `${input.explanation} I've passed our conversation to the support team with a summary, so you won't need to repeat yourself, and opened ticket ${ticket} so it can't get lost. A person will join this chat shortly — you can keep writing in the meantime.`,
    };
  }
  const [customer] = await db
    .select({ name: customers.name, email: customers.email })
    .from(customers)
    .where(eq(customers.id, input.customerId));
  // Not awaited: the customer's answer must not wait on a mail server.
  void sendEscalationAlert(app.config, {
    ticket: result.ticket,
    conversationId: input.conversationId,
    reason: input.reason,
    explanation: input.explanation,
    subject: input.subject,
    priority: input.priority,
    customer: { name: customer?.name ?? null, email: customer?.email ?? null },
  });
  const reach = customer?.email
    ? `we'll reply by email to ${customer.email}`
    : "we'll reply by email — please write your email address here so we can reach you";
  const closed = closedHoursNotice(await getBusinessHours(db), input.now ?? new Date());
  if (closed) {
    return {
      ticket: result.ticket,
      message: `${input.explanation} ${closed} I've opened ticket ${ticket} with a summary of our conversation; ${reach}, and you'll also see the answer here if you come back.`,
    };
  }
  return {
    ticket: result.ticket,
    message: `${input.explanation} No one from our support team is online right now, so I've opened ticket ${ticket} with a summary of our conversation; ${reach}, and you'll also see the answer here if you come back.`,
  };
}
