import type { AppContext } from '@/lib/context';
import { sendTicketReply } from '@/lib/email/notifications';
import type { StaffUser } from '@/lib/staff/queries';
import { appendAgentReply, formatTicketNumber, type Ticket } from './queries';

export interface TicketReplyResult {
  ticket: Ticket;
  /** Whether the reply went out by mail: false without SMTP, without a customer email, or on an SMTP failure. */
  emailed: boolean;
}

/** An agent answers a ticket: the reply joins its history, and the customer gets it by email. */
export async function replyToTicket(
  ctx: Pick<AppContext, 'database' | 'config'>,
  input: { ticketId: string; agent: StaffUser; body: string },
): Promise<TicketReplyResult> {
  const { ticket, customerEmail } = await appendAgentReply(ctx.database.db, {
    ticketId: input.ticketId,
    agentId: input.agent.id,
    agentName: input.agent.name,
    body: input.body,
  });
  const emailed = customerEmail
    ? await sendTicketReply(ctx.config, {
        to: customerEmail,
        ticket: formatTicketNumber(ticket.number),
        subject: ticket.subject,
        agentName: input.agent.name,
        body: input.body,
      })
    : false;
  return { ticket, emailed };
}
