import { z } from 'zod';
import { formatTicketNumber } from '@/lib/tickets/queries';
import { replyToTicket } from '@/lib/tickets/reply-to-ticket';
import { staffRoute } from '../../../../staff-route';

const body = z.object({ message: z.string().trim().min(1, 'must not be empty').max(10_000) });

/** An agent's reply to a ticket: kept in its history and emailed to the customer when possible. */
export const POST = staffRoute(
  { role: 'agent', surface: 'ticket_reply', params: ['id'], body },
  async ({ app, staff, params, body }) => {
    const { ticket, emailed } = await replyToTicket(app, {
      ticketId: params.id,
      agent: staff,
      body: body.message,
    });
    return Response.json({
      ticket: {
        id: ticket.id,
        number: formatTicketNumber(ticket.number),
        status: ticket.status,
        description: ticket.description,
      },
      emailed,
    });
  },
);
