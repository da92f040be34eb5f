type Json = Record<string, unknown>;

const STATUS_WORDS: Record<string, string> = {
  open: 'open',
  in_progress: 'in progress',
  waiting_customer: 'waiting for your reply',
  resolved: 'resolved',
  closed: 'closed',
};

const formatDate = (iso: unknown) =>
  typeof iso === 'string'
    ? new Date(iso).toLocaleDateString('en-SG', { day: 'numeric', month: 'short', year: 'numeric' })
    : 'unknown';

/** The offline model's reply once a tool has answered: the tool's facts, said plainly. */
export function replyToToolResult(toolName: string, output: unknown): string {
  const result = (output ?? {}) as Json;
  if (typeof result.error === 'string') return result.error;
  switch (toolName) {
    case 'create_ticket':
      return `I've opened ticket **${result.ticket}** — “${result.subject}”. Our support team will follow up by email, and you can ask me for its status any time.`;
    case 'get_ticket_status':
      return `Ticket **${result.ticket}** (“${result.subject}”) is **${STATUS_WORDS[String(result.status)] ?? result.status}**. It was last updated on ${formatDate(result.updatedAt)}.`;
    case 'update_ticket':
      return `I've added your details to ticket **${result.ticket}**. It is **${STATUS_WORDS[String(result.status)] ?? result.status}**, and the team will see the update.`;
    case 'list_my_tickets': {
      const tickets = (result.tickets as Json[] | undefined) ?? [];
      if (tickets.length === 0) return "You don't have any support tickets yet.";
      const lines = tickets.map(
        (t) => `- **${t.ticket}** — ${t.subject} (${STATUS_WORDS[String(t.status)] ?? t.status})`,
      );
      return `Here are your tickets:\n\n${lines.join('\n')}`;
    }
    case 'lookup_account': {
      const invoice = result.lastInvoice as Json | null | undefined;
      const renewal = result.renewalDate ? ` It renews on ${formatDate(result.renewalDate)}.` : '';
      const invoiceLine = invoice
        ? ` Your last invoice, ${invoice.number}, was ${invoice.currency} ${Number(invoice.amount).toFixed(2)} on ${formatDate(invoice.issuedOn)} and is ${invoice.status}.`
        : '';
      return `You're on the **${result.plan}** plan and your account is ${result.status}.${renewal}${invoiceLine}`;
    }
    case 'escalate_to_human':
      return String(result.explanation ?? 'I have asked a member of our team to join.');
    default:
      return 'Done.';
  }
}
