import { and, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversationReads, conversations, customers, users } from '@/db/schema';
import { parseTicketNumber } from '@/lib/tickets/queries';
import type { QueueFilter } from './queue-options';

export interface QueueItem {
  id: string;
  customerName: string;
  status: 'open' | 'waiting' | 'resolved' | 'closed';
  owner: 'ai' | 'human' | 'none';
  assignedAgent: { id: string; name: string } | null;
  category: string | null;
  /** The conversation's labels (lib/conversations/conversation-labels.ts): the worst since it was last resolved, not the last message's. */
  priority: 'low' | 'medium' | 'high' | 'urgent' | null;
  sentiment: number | null;
  sentimentTrend: 'improving' | 'steady' | 'worsening' | null;
  /** The customer's problem in their words, whatever they wrote last. */
  topic: string | null;
  language: string | null;
  escalationReason: string | null;
  /** Since when the customer has waited for a person; null when nobody is waiting. */
  waitingSince: string | null;
  lastMessageAt: string;
  /** What the customer last wrote: what an agent triages by (the bot's hand-off line says less). */
  lastCustomerMessage: string | null;
  /** Customer messages this agent has not opened yet. */
  unread: number;
}

const LIMIT = 200;

/**
 * The console's queue: by priority (urgent first), then by who has waited longest.
 * "open" is every conversation a person should look at: waiting for one or held by one.
 * `search` narrows it to conversations whose customer's name or email, whose words (customer,
 * AI or agent) or whose ticket number ("TKT-1001") match.
 */
export async function listQueue(
  db: Database,
  viewer: { id: string },
  filter: QueueFilter,
  search?: string,
): Promise<QueueItem[]> {
  const where: Record<QueueFilter, SQL | undefined> = {
    open: and(
      inArray(conversations.owner, ['none', 'human']),
      ne(conversations.status, 'resolved'),
    ),
    unassigned: and(eq(conversations.owner, 'none'), ne(conversations.status, 'resolved')),
    mine: and(
      eq(conversations.owner, 'human'),
      eq(conversations.assignedAgentId, viewer.id),
      ne(conversations.status, 'resolved'),
    ),
    ai: and(eq(conversations.owner, 'ai'), eq(conversations.status, 'open')),
    resolved: eq(conversations.status, 'resolved'),
  };
  const lastAgentReply = sql`(select max(m.created_at) from messages m where m.conversation_id = ${conversations.id} and m.role = 'agent')`;
  // Waiting since the escalation, or since the first customer message a person has not answered.
  const waitingSince = sql<Date | null>`case
    when ${conversations.status} = 'resolved' or ${conversations.owner} = 'ai' then null
    when ${conversations.owner} = 'none' then ${conversations.escalatedAt}
    else (select min(m.created_at) from messages m where m.conversation_id = ${conversations.id}
          and m.role = 'customer' and m.created_at > greatest(${lastAgentReply}, ${conversations.escalatedAt}, 'epoch'::timestamptz))
  end`;
  const unread = sql<number>`(select count(*)::int from messages m where m.conversation_id = ${conversations.id}
    and m.role = 'customer' and m.created_at > coalesce(${conversationReads.lastReadAt}, 'epoch'::timestamptz))`;
  const lastCustomerMessage = sql<
    string | null
  >`(select m.content from messages m where m.conversation_id = ${conversations.id}
    and m.role = 'customer' order by m.created_at desc limit 1)`;
  const priorityRank = sql`case ${conversations.priority} when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end`;

  // Order and cut first on the conversation's own columns; the per-row counts and previews are
  // then read for the page alone, not for every conversation the filter matches.
  const page = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(where[filter], search?.trim() ? matching(search.trim()) : undefined))
    .orderBy(
      ...(filter === 'resolved'
        ? [desc(conversations.resolvedAt), desc(conversations.id)]
        : [
            desc(priorityRank),
            sql`${waitingSince} asc nulls last`,
            desc(conversations.lastMessageAt),
            desc(conversations.id),
          ]),
    )
    .limit(LIMIT);
  if (page.length === 0) return [];
  const position = new Map(page.map((p, i) => [p.id, i]));

  const rows = await db
    .select({
      id: conversations.id,
      customerName: customers.name,
      customerEmail: customers.email,
      status: conversations.status,
      owner: conversations.owner,
      assignedAgentId: conversations.assignedAgentId,
      assignedAgentName: users.name,
      category: conversations.category,
      priority: conversations.priority,
      sentiment: conversations.sentiment,
      sentimentTrend: conversations.sentimentTrend,
      topic: conversations.topic,
      language: conversations.language,
      escalationReason: conversations.escalationReason,
      waitingSince,
      lastMessageAt: conversations.lastMessageAt,
      lastCustomerMessage,
      unread,
    })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(users, eq(users.id, conversations.assignedAgentId))
    .leftJoin(
      conversationReads,
      and(
        eq(conversationReads.conversationId, conversations.id),
        eq(conversationReads.userId, viewer.id),
      ),
    )
    .where(inArray(conversations.id, [...position.keys()]));
  rows.sort((a, b) => position.get(a.id)! - position.get(b.id)!);

  return rows.map((r) => ({
    id: r.id,
    customerName: r.customerName ?? r.customerEmail ?? 'Visitor',
    status: r.status,
    owner: r.owner,
    assignedAgent:
      r.assignedAgentId && r.assignedAgentName
        ? { id: r.assignedAgentId, name: r.assignedAgentName }
        : null,
    category: r.category,
    priority: r.priority,
    sentiment: r.sentiment,
    sentimentTrend: r.sentimentTrend,
    topic: r.topic,
    language: r.language,
    escalationReason: r.escalationReason,
    waitingSince: r.waitingSince ? new Date(r.waitingSince).toISOString() : null,
    lastMessageAt: r.lastMessageAt.toISOString(),
    lastCustomerMessage: r.lastCustomerMessage,
    unread: r.unread,
  }));
}

function matching(search: string): SQL {
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const ticket = parseTicketNumber(search);
  return sql`(exists (select 1 from customers c where c.id = ${conversations.customerId}
      and (c.name ilike ${pattern} or c.email ilike ${pattern}))
    or exists (select 1 from messages m where m.conversation_id = ${conversations.id}
      and m.role <> 'system' and m.content ilike ${pattern})
    ${ticket === null ? sql`` : sql`or exists (select 1 from tickets t where t.conversation_id = ${conversations.id} and t.number = ${ticket})`})`;
}
