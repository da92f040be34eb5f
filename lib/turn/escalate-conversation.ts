import { eq } from 'drizzle-orm';
import { customers } from '@/db/schema';
import type { Priority } from '@/lib/classify/schema';
import type { AppContext } from '@/lib/context';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import { applyTransition } from '@/lib/conversations/lifecycle';
import { sendEscalationAlert } from '@/lib/email/notifications';
import { TandemError } from '@/lib/errors';
import { closedHoursNotice } from '@/lib/settings/business-hours';
import { getBusinessHours } from '@/lib/settings/settings';
import { countAvailableAgents } from '@/lib/staff/queries';

/**
 * Hands a conversation to the human team: it waits for a person, the reason is recorded, and a
 * ticket keeps it from being lost. Returns what the customer is told, honestly: why, and what
 * happens next — someone joins shortly when an agent is online, otherwise a reply by email (and,
 * outside business hours, what the hours are and when the team is back).
 * Escalating an already escalated conversation changes nothing.
 */
export async function escalateConversation(
  app: AppContext,
  input: {
    conversationId: string;
    customerId: string;
    reason: EscalationReason;
    explanation: string;
    priority: Priority;
    subject: string;
    /** The moment business hours are judged at; the clock by default. */
    now?: Date;
  },
): Promise<{ message: string; ticket: string | null }> {
  const { db } = app.database;
  const result = await applyTransition(app, input.conversationId, {
    type: 'escalate',
    reason: input.reason,
    explanation: input.explanation,
    priority: input.priority,
    subject: input.subject,
  }).catch((error) => {
    // Escalating an already escalated (or held) conversation changes nothing.
    if (error instanceof TandemError && error.code.endsWith(':conversation')) return null;
    throw error;
  });
  if (result === null || !result.ticket) {
    return { message: 'A person from our support team will reply here.', ticket: null };
  }

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
