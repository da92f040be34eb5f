import { z } from 'zod';
import { listCustomerTickets } from '@/lib/tickets/queries';
import { defineTool } from './define-tool';
import { describeTicket, statusWords, ticketOutput } from './ticket-fields';

const LIST_TICKETS =
  /\b(?:my|all(?: of)? my|list(?: all)?(?: of)? my)\s+(?:open\s+)?tickets\b|我的工单/i;

export const listMyTickets = defineTool({
  name: 'list_my_tickets',
  label: 'Listed tickets',
  description: "List the customer's own tickets, newest first.",
  inputSchema: z.object({}),
  outputSchema: z.object({ tickets: z.array(ticketOutput) }),
  access: { effect: 'read', customers: 'any' },
  run: async (_input, ctx) => ({
    tickets: (await listCustomerTickets(ctx.db, ctx.customerId)).map(describeTicket),
  }),
  offline: {
    detect: (text) => (LIST_TICKETS.test(text) ? {} : null),
    reply({ tickets }, language) {
      const zh = language === 'zh';
      if (tickets.length === 0) {
        return zh ? '您还没有任何工单。' : "You don't have any support tickets yet.";
      }
      const lines = tickets.map((t) =>
        zh
          ? `- **${t.ticket}** — ${t.subject}（${statusWords(t.status, language)}）`
          : `- **${t.ticket}** — ${t.subject} (${statusWords(t.status)})`,
      );
      return `${zh ? '以下是您的工单：' : 'Here are your tickets:'}\n\n${lines.join('\n')}`;
    },
  },
  example: {
    request: 'show me my tickets',
    input: {},
    output: {
      tickets: [
        {
          ticket: 'TKT-1003',
          subject: 'My kettle leaking',
          status: 'open',
          priority: 'medium',
          updatedAt: '2026-11-21T10:00:00.000Z',
        },
        {
          ticket: 'TKT-1002',
          subject: 'Blender arrived broken',
          status: 'resolved',
          priority: 'high',
          updatedAt: '2026-11-20T09:30:00.000Z',
        },
      ],
    },
    reply:
      'Here are your tickets:\n\n- **TKT-1003** — My kettle leaking (open)\n- **TKT-1002** — Blender arrived broken (resolved)',
  },
});
