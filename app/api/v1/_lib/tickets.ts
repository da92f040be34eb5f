import { and, desc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '@/db/client';
import { conversations, customers, tickets } from '@/db/schema';
import { getCustomerByExternalIdOrThrow } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import {
  createTicket,
  formatTicketNumber,
  parseTicketNumber,
  type Ticket,
  updateTicket,
} from '@/lib/tickets/queries';
import type { createTicketBody, updateTicketBody } from './schemas';

function ticketJson(t: Ticket, externalId: string | null) {
  return {
    id: t.id,
    number: formatTicketNumber(t.number),
    customer_id: externalId,
    conversation_id: t.conversationId,
    subject: t.subject,
    description: t.description,
    status: t.status,
    priority: t.priority,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

/** A ticket by its id or its number ("TKT-1001"). */
async function ticketOrThrow(db: Database, idOrNumber: string) {
  const number = parseTicketNumber(idOrNumber);
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrNumber);
  if (!isUuid && number === null)
    throw new TandemError('not_found:ticket', 'No ticket has that id.');
  const [row] = await db
    .select({ ticket: tickets, externalId: customers.externalId })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(isUuid ? eq(tickets.id, idOrNumber) : eq(tickets.number, number!));
  if (!row) throw new TandemError('not_found:ticket', 'No ticket has that id.');
  return row;
}

export async function createApiTicket(db: Database, body: z.infer<typeof createTicketBody>) {
  const customer = await getCustomerByExternalIdOrThrow(db, body.customer_id);
  if (body.conversation_id) {
    const [conversation] = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(eq(conversations.id, body.conversation_id), eq(conversations.customerId, customer.id)),
      );
    if (!conversation)
      throw new TandemError(
        'not_found:conversation',
        'No conversation of this customer has that id.',
      );
  }
  const ticket = await createTicket(db, {
    customerId: customer.id,
    conversationId: body.conversation_id,
    subject: body.subject,
    description: body.description,
    priority: body.priority,
  });
  return ticketJson(ticket, customer.externalId);
}

export async function getApiTicket(db: Database, idOrNumber: string) {
  const { ticket, externalId } = await ticketOrThrow(db, idOrNumber);
  return ticketJson(ticket, externalId);
}

export async function updateApiTicket(
  db: Database,
  idOrNumber: string,
  body: z.infer<typeof updateTicketBody>,
) {
  const { ticket, externalId } = await ticketOrThrow(db, idOrNumber);
  const updated = await updateTicket(db, ticket.id, {
    status: body.status,
    priority: body.priority,
    subject: body.subject,
    details: body.add_details ? { text: body.add_details, source: 'via the API' } : undefined,
  });
  return ticketJson(updated, externalId);
}

export async function listApiCustomerTickets(
  db: Database,
  externalId: string,
  { limit, cursor }: { limit: number; cursor?: string },
) {
  const customer = await getCustomerByExternalIdOrThrow(db, externalId);
  let before: Ticket | undefined;
  if (cursor) {
    [before] = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, cursor), eq(tickets.customerId, customer.id)));
    if (!before) throw new TandemError('bad_request:api', 'cursor: not a position in this list.');
  }
  const rows = await db
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.customerId, customer.id),
        before ? sql`${tickets.number} < ${before.number}` : undefined,
      ),
    )
    .orderBy(desc(tickets.number))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    data: page.map((t) => ticketJson(t, externalId)),
    next_cursor: rows.length > limit ? page.at(-1)!.id : null,
  };
}
