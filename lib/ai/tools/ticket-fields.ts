import { z } from 'zod';
import { ticketStatus } from '@/db/schema';
import { PRIORITIES } from '@/lib/classify/schema';
import { formatTicketNumber, parseTicketNumber, type Ticket } from '@/lib/tickets/queries';

/** What the ticket tools share: how a ticket is named in a call, shown in a result and said. */
export const ticketNumberInput = z
  .string()
  .describe('The ticket number, e.g. TKT-1001')
  .transform((value, ctx) => {
    const number = parseTicketNumber(value);
    if (number === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a ticket number such as TKT-1001' });
      return z.NEVER;
    }
    return number;
  });

export const ticketOutput = z.object({
  ticket: z.string(),
  subject: z.string(),
  status: z.enum(ticketStatus.enumValues),
  priority: z.enum(PRIORITIES),
  updatedAt: z.string(),
});
export type TicketOutput = z.infer<typeof ticketOutput>;

export const describeTicket = (t: Ticket): TicketOutput => ({
  ticket: formatTicketNumber(t.number),
  subject: t.subject,
  status: t.status,
  priority: t.priority,
  updatedAt: t.updatedAt.toISOString(),
});

const STATUS_WORDS: Record<TicketOutput['status'], string> = {
  open: 'open',
  in_progress: 'in progress',
  waiting_customer: 'waiting for your reply',
  resolved: 'resolved',
  closed: 'closed',
};

const STATUS_WORDS_ZH: Record<TicketOutput['status'], string> = {
  open: '已开启',
  in_progress: '处理中',
  waiting_customer: '等待您的回复',
  resolved: '已解决',
  closed: '已关闭',
};

/** A ticket's status as a customer reads it, in Chinese or English. */
export const statusWords = (status: TicketOutput['status'], language = 'en') =>
  (language === 'zh' ? STATUS_WORDS_ZH : STATUS_WORDS)[status];

const MENTIONED_TICKET = /\b(?:tkt[-\s#]*|#)(\d{3,9})\b/i;

/** The ticket a message names ("where is TKT-1001", "#1001"), as the tools take it. */
export function mentionedTicket(text: string): { ticket: string; rest: string } | null {
  const match = MENTIONED_TICKET.exec(text);
  const number = match ? parseTicketNumber(match[0]) : null;
  if (number === null) return null;
  return { ticket: formatTicketNumber(number), rest: text.replace(MENTIONED_TICKET, '') };
}
