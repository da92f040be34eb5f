import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, customers } from '@/db/schema';
import { worstPriority } from '@/lib/classify/priority';
import type { Priority } from '@/lib/classify/schema';
import type { AppContext } from '@/lib/context';
import { substantiveText } from '@/lib/conversations/customer-problem';
import {
  type EscalationReason,
  escalationReasonLabel,
} from '@/lib/conversations/escalation-reasons';
import { applyTransition } from '@/lib/conversations/lifecycle';
import { sendEscalationAlert } from '@/lib/email/notifications';
import { TandemError } from '@/lib/errors';
import { queueSummaryRefresh } from '@/lib/jobs/maintenance';
import { closedHoursNotice } from '@/lib/settings/business-hours';
import { getBusinessHours } from '@/lib/settings/settings';
import { countAvailableAgents } from '@/lib/staff/queries';
import { formatTicketTitle } from '@/lib/tickets/ticket-title';
import { handOffWords } from './hand-off-words';

/**
 * Hands a conversation to the human team: it waits for a person, the reason is recorded, and a
 * ticket keeps it from being lost. Returns what the customer is told, honestly: why, and what
 * happens next — someone joins shortly when an agent is online, otherwise a reply by email (and,
 * outside business hours, what the hours are and when the team is back).
 * The ticket is titled by the customer's problem and takes the conversation's priority, and the
 * conversation's summary is refreshed for the person who picks it up.
 * Escalating an already escalated conversation changes nothing.
 */
export async function escalateConversation(
  app: AppContext,
  input: {
    conversationId: string;
    customerId: string;
    reason: EscalationReason;
    explanation: string;
    /** The priority of the message that led here; the conversation's own wins when higher. */
    priority: Priority;
    /**
     * The caller's words for the matter: the ticket's title when the assistant wrote it (its
     * escalate tool), else only when the customer's messages say nothing of their problem.
     */
    subject: string;
    /** The moment business hours are judged at; the clock by default. */
    now?: Date;
    /** The customer's language, which what they are told is said in (English otherwise). */
    language?: string;
  },
): Promise<{ message: string; ticket: string | null }> {
  const { db } = app.database;
  const { subject, priority } = await describeHandOff(db, input);
  const result = await applyTransition(app, input.conversationId, {
    type: 'escalate',
    reason: input.reason,
    explanation: input.explanation,
    priority,
    subject,
  }).catch((error) => {
    // Escalating an already escalated (or held) conversation changes nothing.
    if (error instanceof TandemError && error.code.endsWith(':conversation')) return null;
    throw error;
  });
  const words = handOffWords(input.language);
  // Staff keep the English explanation; the customer reads it in their language.
  const why = words?.why[input.reason] ?? input.explanation;
  if (result === null || !result.ticket) {
    const message = words?.alreadyWaiting ?? 'A person from our support team will reply here.';
    return { message, ticket: null };
  }
  await queueSummaryRefresh(db, input.conversationId);

  const ticket = `**${result.ticket}**`;
  if ((await countAvailableAgents(db)) > 0) {
    return {
      ticket: result.ticket,
      message: words
        ? `${why}${words.agentOnline(ticket)}`
        : `${input.explanation} I've passed our conversation to the support team with a summary, so you won't need to repeat yourself, and opened ticket ${ticket} so it can't get lost. A person will join this chat shortly — you can keep writing in the meantime.`,
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
    subject,
    priority,
    customer: { name: customer?.name ?? null, email: customer?.email ?? null },
  });
  const reach = words
    ? words.byEmail(customer?.email ?? null)
    : customer?.email
      ? `we'll reply by email to ${customer.email}`
      : "we'll reply by email — please write your email address here so we can reach you";
  const hours = await getBusinessHours(db);
  const closed = closedHoursNotice(hours, input.now ?? new Date());
  if (closed) {
    return {
      ticket: result.ticket,
      message: words
        ? `${why}${words.closed(hours, ticket, reach)}`
        : `${input.explanation} ${closed} I've opened ticket ${ticket} with a summary of our conversation; ${reach}, and you'll also see the answer here if you come back.`,
    };
  }
  return {
    ticket: result.ticket,
    message: words
      ? `${why}${words.nobodyOnline(ticket, reach)}`
      : `${input.explanation} No one from our support team is online right now, so I've opened ticket ${ticket} with a summary of our conversation; ${reach}, and you'll also see the answer here if you come back.`,
  };
}

/**
 * The ticket's title and priority: the customer's problem in their words, as the conversation's
 * labels keep it (the assistant's own title when it asked for the hand-off), and the
 * conversation's priority — the worst of its messages since it was last resolved — when above
 * the caller's.
 */
async function describeHandOff(
  db: Database,
  input: { conversationId: string; reason: EscalationReason; priority: Priority; subject: string },
): Promise<{ subject: string; priority: Priority }> {
  const [conversation] = await db
    .select({ priority: conversations.priority, topic: conversations.topic })
    .from(conversations)
    .where(eq(conversations.id, input.conversationId));
  const stated = substantiveText(input.subject);
  const subject =
    (input.reason === 'model_request' && stated && formatTicketTitle(stated)) ||
    conversation?.topic ||
    (stated && formatTicketTitle(stated)) ||
    `Chat: ${escalationReasonLabel(input.reason)}`;
  const priority = worstPriority(
    conversation?.priority ? [input.priority, conversation.priority] : [input.priority],
  )!;
  return { subject, priority };
}
