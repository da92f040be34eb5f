import { z } from 'zod';
import { getCustomerTicketOrThrow } from '@/lib/tickets/queries';
import { defineTool } from './define-tool';
import { formatDate } from './format-date';
import {
  describeTicket,
  mentionedTicket,
  statusWords,
  ticketNumberInput,
  ticketOutput,
} from './ticket-fields';

export const getTicketStatus = defineTool({
  name: 'get_ticket_status',
  label: 'Checked a ticket',
  description: "Look up the status of one of the customer's own tickets by its number.",
  inputSchema: z.object({ ticket: ticketNumberInput }),
  outputSchema: ticketOutput,
  access: { effect: 'read', customers: 'any' },
  run: async ({ ticket }, ctx) =>
    describeTicket(await getCustomerTicketOrThrow(ctx.db, ctx.customerId, ticket)),
  offline: {
    detect(text) {
      const mentioned = mentionedTicket(text);
      return mentioned && { ticket: mentioned.ticket };
    },
    reply: (t, language) =>
      language === 'zh'
        ? `工单 **${t.ticket}**（“${t.subject}”）目前的状态是 **${statusWords(t.status, language)}**，最近一次更新在 ${formatDate(t.updatedAt, language)}。`
        : `Ticket **${t.ticket}** (“${t.subject}”) is **${statusWords(t.status)}**. It was last updated on ${formatDate(t.updatedAt)}.`,
  },
  example: {
    request: 'where is my ticket TKT-1002?',
    input: { ticket: 'TKT-1002' },
    output: {
      ticket: 'TKT-1002',
      subject: 'Blender arrived broken',
      status: 'waiting_customer',
      priority: 'medium',
      updatedAt: '2026-11-20T09:30:00.000Z',
    },
    reply:
      'Ticket **TKT-1002** (“Blender arrived broken”) is **waiting for your reply**. It was last updated on 20 Nov 2026.',
  },
});
