import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customers, tickets } from '@/db/schema';
import type { Priority } from '@/lib/classify/schema';
import { TandemError } from '@/lib/errors';
import { emitWebhookEvent, ticketEventData } from '@/lib/webhooks/events';

export type Ticket = typeof tickets.$inferSelect;

/** Customers and agents see tickets as TKT-1001. */
export function formatTicketNumber(number: number): string {
  return `TKT-${number}`;
}

/** Reads "TKT-1001", "tkt 1001" or "#1001" as 1001; null when it is not a ticket number. */
export function parseTicketNumber(value: string): number | null {
  const match = /^\s*(?:tkt[-\s#]*|#)?(\d{1,9})\s*$/i.exec(value);
  return match ? Number(match[1]) : null;
}

export async function createTicket(
  db: Database,
  input: {
    customerId: string;
    conversationId?: string;
    subject: string;
    description: string;
    priority?: Priority;
  },
): Promise<Ticket> {
  const [ticket] = await db
    .insert(tickets)
    .values({
      customerId: input.customerId,
      conversationId: input.conversationId,
      subject: input.subject,
      description: input.description,
      priority: input.priority ?? 'medium',
    })
    .returning();
  if (!ticket) throw new Error('Could not create the ticket');
  await emitWebhookEvent(db, 'ticket.created', ticketEventData(ticket));
  return ticket;
}

/** A ticket by number, only if this customer owns it: another customer's ticket is "not found". */
export async function getCustomerTicketOrThrow(
  db: Database,
  customerId: string,
  number: number,
): Promise<Ticket> {
  const [ticket] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.number, number), eq(tickets.customerId, customerId)));
  if (!ticket) {
    throw new TandemError(
      'not_found:ticket',
      `No ticket ${formatTicketNumber(number)} was found for you.`,
    );
  }
  return ticket;
}

export async function listCustomerTickets(db: Database, customerId: string, limit = 10) {
  return db
    .select()
    .from(tickets)
    .where(eq(tickets.customerId, customerId))
    .orderBy(desc(tickets.createdAt))
    .limit(limit);
}

/** Appends the customer's new details to a ticket they own. */
export async function addTicketDetails(
  db: Database,
  customerId: string,
  number: number,
  details: string,
): Promise<Ticket> {
  const ticket = await getCustomerTicketOrThrow(db, customerId, number);
  if (ticket.status === 'closed') {
    throw new TandemError(
      'conflict:ticket',
      `${formatTicketNumber(number)} is closed; open a new ticket instead.`,
    );
  }
  const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const [updated] = await db
    .update(tickets)
    .set({
      description: `${ticket.description}\n\n[${stamp} UTC, from the customer] ${details}`,
      status: ticket.status === 'waiting_customer' ? 'open' : ticket.status,
    })
    .where(eq(tickets.id, ticket.id))
    .returning();
  await emitWebhookEvent(db, 'ticket.updated', ticketEventData(updated!));
  return updated!;
}

/**
 * Changes a ticket's status, priority or subject and appends details to its history (stamped with
 * where they came from, e.g. "via the API"), in one update.
 */
export async function updateTicket(
  db: Database,
  ticketId: string,
  changes: {
    status?: Ticket['status'];
    priority?: Priority;
    subject?: string;
    details?: { text: string; source: string };
  },
): Promise<Ticket> {
  const { details } = changes;
  const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const [updated] = await db
    .update(tickets)
    .set({
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.priority ? { priority: changes.priority } : {}),
      ...(changes.subject ? { subject: changes.subject } : {}),
      ...(details
        ? {
            description: sql`${tickets.description} || ${`\n\n[${stamp} UTC, ${details.source}] ${details.text}`}`,
          }
        : {}),
    })
    .where(eq(tickets.id, ticketId))
    .returning();
  if (!updated) throw new TandemError('not_found:ticket', 'No ticket has that id.');
  await emitWebhookEvent(db, 'ticket.updated', ticketEventData(updated));
  return updated;
}

/**
 * Appends an agent's reply to the ticket's history and marks it waiting on the customer; also
 * returns where to mail it. A closed ticket takes no more replies.
 */
export async function appendAgentReply(
  db: Database,
  input: { ticketId: string; agentId: string; agentName: string; body: string; now?: Date },
): Promise<{ ticket: Ticket; customerEmail: string | null }> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ ticket: tickets, customerEmail: customers.email })
      .from(tickets)
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .where(eq(tickets.id, input.ticketId))
      .for('update', { of: tickets });
    if (!found) throw new TandemError('not_found:ticket', 'No ticket has that id.');
    const { ticket } = found;
    if (ticket.status === 'closed') {
      throw new TandemError(
        'conflict:ticket',
        `${formatTicketNumber(ticket.number)} is closed; it takes no more replies.`,
      );
    }
    const stamp = (input.now ?? new Date()).toISOString().slice(0, 16).replace('T', ' ');
    const [updated] = await tx
      .update(tickets)
      .set({
        description: `${ticket.description}\n\n[${stamp} UTC, reply from ${input.agentName}] ${input.body}`,
        status: 'waiting_customer',
        assignedAgentId: ticket.assignedAgentId ?? input.agentId,
      })
      .where(eq(tickets.id, ticket.id))
      .returning();
    return { ticket: updated!, customerEmail: found.customerEmail };
  });
}
