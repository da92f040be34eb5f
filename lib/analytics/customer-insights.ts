import { desc, eq, sql } from 'drizzle-orm';
import { type Database, rowsOf } from '@/db/client';
import { conversations, customers } from '@/db/schema';
import { findCustomerAccount } from '@/lib/customers/accounts';
import { customerFacts } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import { unsafeTextReason } from '@/lib/text/unsafe-text';
import { formatTicketNumber, listCustomerTickets } from '@/lib/tickets/queries';

export interface CustomerMatch {
  id: string;
  name: string | null;
  email: string | null;
  externalId: string | null;
  conversations: number;
  lastSeen: string | null;
}

/** Customers whose name, email or site id contains the query, most recently active first. */
export async function searchCustomers(db: Database, query: string): Promise<CustomerMatch[]> {
  // PostgreSQL refuses such text outright; no stored name or email can contain it either.
  if (unsafeTextReason(query)) return [];
  const q = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`select cu.id, cu.name, cu.email, cu.external_id,
        count(c.id)::int as conversations, max(c.last_message_at) as last_seen
      from customers cu left join conversations c on c.customer_id = cu.id
      where ${query.trim() ? sql`(cu.name ilike ${q} or cu.email ilike ${q} or cu.external_id ilike ${q})` : sql`true`}
      group by cu.id
      order by max(c.last_message_at) desc nulls last
      limit 50`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: (r.name as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    externalId: (r.external_id as string | null) ?? null,
    conversations: Number(r.conversations),
    lastSeen: r.last_seen ? new Date(String(r.last_seen)).toISOString() : null,
  }));
}

/** One customer: their conversations, what they ask about, how it went, tickets and memory. */
export async function customerInsights(db: Database, customerId: string) {
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  if (!customer) throw new TandemError('not_found:customer', 'No customer has that id.');
  const [history, [stats], byCategory, tickets, account] = await Promise.all([
    db
      .select({
        id: conversations.id,
        createdAt: conversations.createdAt,
        status: conversations.status,
        category: conversations.category,
        priority: conversations.priority,
        escalationReason: conversations.escalationReason,
        summary: conversations.summary,
      })
      .from(conversations)
      .where(eq(conversations.customerId, customerId))
      .orderBy(desc(conversations.createdAt))
      .limit(100),
    db
      .execute(sql`select count(*)::int as conversations,
        count(*) filter (where escalated_at is not null)::int as escalated,
        (select avg(rating)::float from csat_ratings where customer_id = ${customerId}) as csat,
        (select count(*)::int from csat_ratings where customer_id = ${customerId}) as csat_responses
      from conversations where customer_id = ${customerId}`)
      .then((r) => rowsOf<Record<string, unknown>>(r)),
    db
      .execute(sql`select coalesce(category, 'unknown') as category, count(*)::int as n from conversations
        where customer_id = ${customerId} group by 1 order by 2 desc, 1`)
      .then((r) => rowsOf<{ category: string; n: number }>(r)),
    listCustomerTickets(db, customerId, 50),
    findCustomerAccount(db, customerId),
  ]);
  const total = Number(stats?.conversations ?? 0);
  return {
    customer: {
      ...customerFacts(customer),
      createdAt: customer.createdAt.toISOString(),
      account,
    },
    conversations: total,
    escalated: Number(stats?.escalated ?? 0),
    escalationRate: total ? Number(stats?.escalated ?? 0) / total : null,
    csat: stats?.csat === null || stats?.csat === undefined ? null : Number(stats.csat),
    csatResponses: Number(stats?.csat_responses ?? 0),
    categories: byCategory.map((c) => ({ category: c.category, count: Number(c.n) })),
    history: history.map((h) => ({ ...h, createdAt: h.createdAt.toISOString() })),
    tickets: tickets.map((t) => ({
      id: t.id,
      number: formatTicketNumber(t.number),
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      createdAt: t.createdAt.toISOString(),
    })),
  };
}
