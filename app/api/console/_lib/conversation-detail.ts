import { and, desc, eq, ne } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { type Citation, conversations, customers, type MessageMetadata, users } from '@/db/schema';
import { actionLabels } from '@/lib/actions/queries';
import { toolLabel } from '@/lib/ai/tools';
import type { Classification } from '@/lib/classify/schema';
import { findLinkedConversations } from '@/lib/conversations/linked-conversations';
import { listNotes } from '@/lib/conversations/notes';
import { listMessages } from '@/lib/conversations/queries';
import { findCustomerAccount } from '@/lib/customers/accounts';
import { customerFacts } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import { summarizeConversation } from '@/lib/memory/summarize';
import { formatTicketNumber, listCustomerTickets } from '@/lib/tickets/queries';
import { consoleActionCalls } from './action-calls';

export interface ConsoleMessage {
  id: string;
  role: 'customer' | 'ai' | 'agent' | 'system';
  content: string;
  createdAt: string;
  agent?: { id: string; name: string };
  event?: MessageMetadata['event'];
  note?: string;
  citations?: Citation[];
  abstained?: boolean;
  attachments?: { id: string; filename: string; mediaType: string; sizeBytes: number }[];
  /** The tools the AI called for this answer, as the tool registry labels them. */
  tools?: string[];
}

/** Everything an agent sees about one conversation: transcript and the AI's context beside it. */
export async function getConsoleConversation(db: Database, conversationId: string) {
  const [row] = await db
    .select({ conversation: conversations, customer: customers, agentName: users.name })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(users, eq(users.id, conversations.assignedAgentId))
    .where(eq(conversations.id, conversationId));
  if (!row) throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const { conversation, customer } = row;

  const [messages, notes, tickets, account, past, labels, linked] = await Promise.all([
    listMessages(db, conversationId),
    listNotes(db, conversationId),
    listCustomerTickets(db, customer.id, 20),
    findCustomerAccount(db, customer.id),
    db
      .select({
        id: conversations.id,
        status: conversations.status,
        category: conversations.category,
        summary: conversations.summary,
        createdAt: conversations.createdAt,
        lastMessageAt: conversations.lastMessageAt,
      })
      .from(conversations)
      .where(and(eq(conversations.customerId, customer.id), ne(conversations.id, conversationId)))
      .orderBy(desc(conversations.lastMessageAt))
      .limit(10),
    // Tool calls show as the admin's label for an action, not the name the model calls it by.
    actionLabels(db),
    findLinkedConversations(db, conversation),
  ]);

  const readings = messages.flatMap((m) =>
    m.role === 'customer' && m.metadata.classification
      ? [{ at: m.createdAt.toISOString(), classification: m.metadata.classification }]
      : [],
  );
  const sources = new Map<string, Citation & { uses: number }>();
  for (const m of messages) {
    for (const c of m.metadata.citations ?? []) {
      const seen = sources.get(c.slug);
      sources.set(c.slug, { ...c, uses: (seen?.uses ?? 0) + 1 });
    }
  }
  const escalation = [...messages].reverse().find((m) => m.metadata.escalation)
    ?.metadata.escalation;

  return {
    conversation: {
      id: conversation.id,
      status: conversation.status,
      owner: conversation.owner,
      channel: conversation.channel,
      assignedAgent:
        conversation.assignedAgentId && row.agentName
          ? { id: conversation.assignedAgentId, name: row.agentName }
          : null,
      category: conversation.category,
      topic: conversation.topic,
      priority: conversation.priority,
      sentiment:
        conversation.sentiment === null
          ? null
          : {
              polarity: conversation.sentiment,
              frustration: conversation.frustration,
              trend: conversation.sentimentTrend,
            },
      language: conversation.language,
      // The stored summary while it covers every message (the model writes it when there is one);
      // the whole conversation summarised now otherwise.
      summary:
        conversation.summary && conversation.summarizedMessages >= messages.length
          ? conversation.summary
          : summarizeConversation(messages) || null,
      escalation: conversation.escalationReason
        ? {
            reason: conversation.escalationReason,
            explanation: escalation?.explanation ?? null,
            at: conversation.escalatedAt?.toISOString() ?? null,
          }
        : null,
      createdAt: conversation.createdAt.toISOString(),
      resolvedAt: conversation.resolvedAt?.toISOString() ?? null,
    },
    /** The latest customer message's own reading, beside the conversation's labels. */
    classification: (readings.at(-1)?.classification ?? null) as Classification | null,
    sentimentTrend: readings.map((r) => ({
      at: r.at,
      polarity: r.classification.sentiment.polarity,
      frustration: r.classification.sentiment.frustration,
    })),
    sources: [...sources.values()].sort((a, b) => b.uses - a.uses),
    customer: {
      ...customerFacts(customer),
      account: account && {
        plan: account.plan,
        status: account.status,
        renewalDate: account.renewalDate,
        lastInvoice: account.lastInvoice,
      },
    },
    messages: messages.map(
      (m): ConsoleMessage => ({
        id: m.id,
        role: m.role,
        content: m.content,
        createdAt: m.createdAt.toISOString(),
        ...(m.metadata.agent ? { agent: m.metadata.agent } : {}),
        ...(m.metadata.event ? { event: m.metadata.event } : {}),
        ...(m.metadata.note ? { note: m.metadata.note } : {}),
        ...(m.metadata.citations?.length ? { citations: m.metadata.citations } : {}),
        ...(m.metadata.abstained ? { abstained: true } : {}),
        ...(m.metadata.tools?.length
          ? {
              tools: m.metadata.tools.map((t) => labels.get(t.tool)?.label ?? toolLabel(t.tool)),
            }
          : {}),
        ...(m.metadata.attachments?.length
          ? {
              attachments: m.metadata.attachments.map((a) => ({
                id: a.id,
                filename: a.filename,
                mediaType: a.mediaType,
                sizeBytes: a.sizeBytes,
              })),
            }
          : {}),
      }),
    ),
    /** Calls of the admin's actions, with those waiting for an agent's approval. */
    actionCalls: await consoleActionCalls(db, conversationId),
    notes: notes.map((n) => ({
      id: n.id,
      authorName: n.authorName,
      content: n.content,
      createdAt: n.createdAt.toISOString(),
    })),
    tickets: tickets.map((t) => ({
      id: t.id,
      number: formatTicketNumber(t.number),
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      conversationId: t.conversationId,
      createdAt: t.createdAt.toISOString(),
    })),
    /** The resolved conversation this one follows up, and this one's follow-ups. */
    linked,
    pastConversations: past.map((p) => ({
      id: p.id,
      status: p.status,
      category: p.category,
      summary: p.summary,
      createdAt: p.createdAt.toISOString(),
      lastMessageAt: p.lastMessageAt.toISOString(),
    })),
  };
}

export type ConsoleConversation = Awaited<ReturnType<typeof getConsoleConversation>>;
