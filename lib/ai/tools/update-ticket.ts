import { z } from 'zod';
import { addTicketDetails } from '@/lib/tickets/queries';
import { defineTool } from './define-tool';
import {
  describeTicket,
  mentionedTicket,
  statusWords,
  ticketNumberInput,
  ticketOutput,
} from './ticket-fields';

const ADD_DETAILS = /\b(?:add|append|include|attach|update)\b|补充|更新/i;

export const updateTicket = defineTool({
  name: 'update_ticket',
  label: 'Added to a ticket',
  description: 'Add details the customer gives to one of their own open tickets.',
  inputSchema: z.object({ ticket: ticketNumberInput, details: z.string().min(3).max(4000) }),
  outputSchema: ticketOutput,
  access: { effect: 'write', customers: 'any' },
  run: async ({ ticket, details }, ctx) =>
    describeTicket(await addTicketDetails(ctx.db, ctx.customerId, ticket, details)),
  offline: {
    detect(text) {
      const mentioned = mentionedTicket(text);
      if (!mentioned || !ADD_DETAILS.test(text)) return null;
      // "Add to TKT-1002: the box was also wet": the details are what follows the colon.
      const details = mentioned.rest.replace(/^[^:]*:\s*/, '').trim();
      return { ticket: mentioned.ticket, details: details || text };
    },
    reply: (t, language) =>
      language === 'zh'
        ? `我已把您补充的信息加到工单 **${t.ticket}** 中。工单目前的状态是 **${statusWords(t.status, language)}**，团队会看到这次更新。`
        : `I've added your details to ticket **${t.ticket}**. It is **${statusWords(t.status)}**, and the team will see the update.`,
  },
  example: {
    request: 'Add to TKT-1002: the box was also wet',
    input: { ticket: 'TKT-1002', details: 'the box was also wet' },
    output: {
      ticket: 'TKT-1002',
      subject: 'Blender arrived broken',
      status: 'in_progress',
      priority: 'medium',
      updatedAt: '2026-11-20T09:30:00.000Z',
    },
    reply:
      "I've added your details to ticket **TKT-1002**. It is **in progress**, and the team will see the update.",
  },
});
