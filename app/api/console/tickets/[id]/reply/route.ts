import { z } from 'zod';
import { formatTicketNumber } from '@/lib/tickets/queries';
import { replyToTicket } from '@/lib/tickets/reply-to-ticket';
import { readJsonBody } from '../../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../../staff-route';

const body = z.object({ message: z.string().trim().min(1, 'must not be empty').max(10_000) });

/** An agent's reply to a ticket: kept in its history and emailed to the customer when possible. */
export const POST = staffRoute<{ id: string }>('agent', async ({ app, staff, params, request }) => {
  const { message } = await readJsonBody(request, body, {
    surface: 'ticket_reply',
    maxBytes: SMALL_BODY,
  });
  const { ticket, emailed } = await replyToTicket(app, {
    ticketId: params.id,
    agent: staff,
    body: message,
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
});
