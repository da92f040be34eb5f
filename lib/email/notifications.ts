import type { Config } from '@/lib/config';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import { sendMail } from './mailer';

/** Team addresses from TANDEM_TEAM_EMAIL (comma-separated). */
function teamAddresses(config: Pick<Config, 'email'>): string[] {
  return (config.email?.teamAddress ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

/**
 * Tells the team a conversation is waiting while no agent is online, so it is answered by mail
 * rather than lost. Sends nothing without SMTP or a team address.
 */
export async function sendEscalationAlert(
  config: Pick<Config, 'email' | 'auth'>,
  input: {
    ticket: string;
    conversationId: string;
    reason: EscalationReason;
    explanation: string;
    subject: string;
    priority: string;
    customer: { name: string | null; email: string | null };
  },
): Promise<boolean> {
  const to = teamAddresses(config);
  if (to.length === 0) return false;
  const who = input.customer.name ?? input.customer.email ?? 'A customer';
  const link = config.auth.url
    ? new URL(`/console/conversations/${input.conversationId}`, config.auth.url).toString()
    : `the console (conversation ${input.conversationId})`;
  return sendMail(config, {
    kind: 'escalation_alert',
    to,
    replyTo: input.customer.email ?? undefined,
    subject: `[${input.ticket}] ${input.priority} priority: ${input.subject}`,
    text: [
      `${who} needs a person, and no agent is online.`,
      '',
      `Ticket: ${input.ticket}`,
      `Priority: ${input.priority}`,
      `Reason: ${input.reason} — ${input.explanation}`,
      `Customer email: ${input.customer.email ?? 'not given yet (the bot asked for one)'}`,
      '',
      `Open it in ${link}.`,
    ].join('\n'),
  });
}

/** An agent's reply to a ticket, mailed to the customer. */
export async function sendTicketReply(
  config: Pick<Config, 'email'>,
  input: { to: string; ticket: string; subject: string; agentName: string; body: string },
): Promise<boolean> {
  return sendMail(config, {
    kind: 'ticket_reply',
    to: input.to,
    subject: `Re: [${input.ticket}] ${input.subject}`,
    text: `${input.body}\n\n— ${input.agentName}\n\nReply to this ticket by quoting ${input.ticket} in the chat.`,
  });
}
