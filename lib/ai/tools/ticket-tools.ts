import { tool } from 'ai';
import { z } from 'zod';
import { TandemError } from '@/lib/errors';
import {
  addTicketDetails,
  createTicket,
  formatTicketNumber,
  getCustomerTicketOrThrow,
  listCustomerTickets,
  parseTicketNumber,
  type Ticket,
} from '@/lib/tickets/queries';
import type { ToolContext } from './context';

const ticketNumber = z
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

const describeTicket = (t: Ticket) => ({
  ticket: formatTicketNumber(t.number),
  subject: t.subject,
  status: t.status,
  priority: t.priority,
  updatedAt: t.updatedAt.toISOString(),
});

/** A ticket the customer may not see reads as an error the model can explain, never as data. */
async function orError<T>(run: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TandemError) return { error: error.message };
    throw error;
  }
}

export const createTicketTool = (ctx: ToolContext) =>
  tool({
    description:
      'Open a support ticket for the customer when they ask for one or their issue needs follow-up by the team.',
    inputSchema: z.object({
      subject: z.string().min(3).max(120),
      description: z.string().min(3).max(4000),
    }),
    execute: async ({ subject, description }) =>
      describeTicket(
        await createTicket(ctx.db, {
          customerId: ctx.customerId,
          conversationId: ctx.conversationId,
          subject,
          description,
          priority: ctx.priority,
        }),
      ),
  });

export const getTicketStatusTool = (ctx: ToolContext) =>
  tool({
    description: "Look up the status of one of the customer's own tickets by its number.",
    inputSchema: z.object({ ticket: ticketNumber }),
    execute: ({ ticket }) =>
      orError(async () =>
        describeTicket(await getCustomerTicketOrThrow(ctx.db, ctx.customerId, ticket)),
      ),
  });

export const updateTicketTool = (ctx: ToolContext) =>
  tool({
    description: 'Add details the customer gives to one of their own open tickets.',
    inputSchema: z.object({ ticket: ticketNumber, details: z.string().min(3).max(4000) }),
    execute: ({ ticket, details }) =>
      orError(async () =>
        describeTicket(await addTicketDetails(ctx.db, ctx.customerId, ticket, details)),
      ),
  });

export const listMyTicketsTool = (ctx: ToolContext) =>
  tool({
    description: "List the customer's own tickets, newest first.",
    inputSchema: z.object({}),
    execute: async () => ({
      tickets: (await listCustomerTickets(ctx.db, ctx.customerId)).map(describeTicket),
    }),
  });
