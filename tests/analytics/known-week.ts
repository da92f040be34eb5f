import { conversations, csatRatings, customers, messageFeedback, messages } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { createStaff } from '@/lib/staff/queries';

const at = (iso: string, plusSeconds = 0) => new Date(new Date(iso).getTime() + plusSeconds * 1000);

/** A known week of conversations; every figure below is worked out by hand from it. */
export async function seedKnownWeek({ database }: Pick<AppContext, 'database'>) {
  const { db } = database;
  const dana = await createStaff(db, {
    email: 'dana@x.test',
    name: 'Dana',
    role: 'agent',
    password: 'password-1',
  });
  const sam = await createStaff(db, {
    email: 'sam@x.test',
    name: 'Sam',
    role: 'agent',
    password: 'password-1',
  });
  const [customer] = await db.insert(customers).values({ name: 'Known' }).returning();
  const base = { customerId: customer!.id };
  const rows = [
    // AI answered, went quiet: resolved by the AI.
    {
      ...base,
      createdAt: at('2026-11-01T10:00:00Z'),
      firstAiReplyAt: at('2026-11-01T10:00:02Z'),
      lastMessageAt: at('2026-11-01T10:05:00Z'),
      category: 'billing',
      priority: 'low' as const,
      sentiment: 0.5,
      language: 'en',
    },
    // AI answered and the conversation was closed as resolved.
    {
      ...base,
      createdAt: at('2026-11-02T10:00:00Z'),
      firstAiReplyAt: at('2026-11-02T10:00:04Z'),
      lastMessageAt: at('2026-11-02T10:10:00Z'),
      status: 'resolved' as const,
      resolvedAt: at('2026-11-02T10:10:00Z'),
      category: 'billing',
      priority: 'medium' as const,
      sentiment: 0,
      language: 'en',
    },
    // Escalated on request, Dana took it after a minute, replied after two, resolved ten minutes after claiming.
    {
      ...base,
      createdAt: at('2026-11-03T14:00:00Z'),
      firstAiReplyAt: at('2026-11-03T14:00:06Z'),
      escalatedAt: at('2026-11-03T14:01:00Z'),
      escalationReason: 'customer_request',
      claimedAt: at('2026-11-03T14:02:00Z'),
      firstAgentReplyAt: at('2026-11-03T14:03:00Z'),
      resolvedAt: at('2026-11-03T14:12:00Z'),
      lastMessageAt: at('2026-11-03T14:12:00Z'),
      status: 'resolved' as const,
      resolvedBy: 'human' as const,
      handledByHuman: true,
      assignedAgentId: dana.id,
      category: 'technical',
      priority: 'high' as const,
      sentiment: -0.5,
      language: 'zh',
    },
    // Escalated for frustration; Sam.
    {
      ...base,
      createdAt: at('2026-11-03T14:30:00Z'),
      firstAiReplyAt: at('2026-11-03T14:30:03Z'),
      escalatedAt: at('2026-11-03T14:30:30Z'),
      escalationReason: 'high_frustration',
      claimedAt: at('2026-11-03T14:33:50Z'),
      firstAgentReplyAt: at('2026-11-03T14:35:30Z'),
      resolvedAt: at('2026-11-03T14:53:50Z'),
      lastMessageAt: at('2026-11-03T14:53:50Z'),
      status: 'resolved' as const,
      resolvedBy: 'human' as const,
      handledByHuman: true,
      assignedAgentId: sam.id,
      category: 'technical',
      priority: 'urgent' as const,
      sentiment: -0.8,
      language: 'en',
    },
    // Escalated after unsure answers, still waiting.
    {
      ...base,
      createdAt: at('2026-11-05T09:00:00Z'),
      firstAiReplyAt: at('2026-11-05T09:00:05Z'),
      escalatedAt: at('2026-11-05T09:01:00Z'),
      escalationReason: 'low_confidence',
      lastMessageAt: at('2026-11-05T09:01:00Z'),
      status: 'waiting' as const,
      owner: 'none' as const,
      category: 'orders_shipping',
      priority: 'medium' as const,
      sentiment: -0.2,
      language: 'en',
    },
    // Still going right now: not ended, so not resolved by anyone yet.
    {
      ...base,
      createdAt: at('2026-11-06T23:00:00Z'),
      firstAiReplyAt: at('2026-11-06T23:00:01Z'),
      lastMessageAt: new Date(),
    },
    // Before the range: never counted.
    {
      ...base,
      createdAt: at('2026-10-20T10:00:00Z'),
      firstAiReplyAt: at('2026-10-20T10:00:01Z'),
      lastMessageAt: at('2026-10-20T10:01:00Z'),
      escalatedAt: at('2026-10-20T10:01:00Z'),
      escalationReason: 'urgent_priority',
      category: 'billing',
    },
  ];
  const created = await db.insert(conversations).values(rows).returning({ id: conversations.id });
  const [c1, c2, c3, c4] = created.map((c) => c.id);
  const answers = await db
    .insert(messages)
    .values(
      [c1!, c2!, c2!].map((conversationId) => ({
        conversationId,
        role: 'ai' as const,
        content: 'an answer',
      })),
    )
    .returning({ id: messages.id, conversationId: messages.conversationId });
  await db.insert(messageFeedback).values([
    { messageId: answers[0]!.id, conversationId: c1!, helpful: true },
    { messageId: answers[1]!.id, conversationId: c2!, helpful: false },
    { messageId: answers[2]!.id, conversationId: c2!, helpful: true },
  ]);
  await db.insert(csatRatings).values([
    { conversationId: c3!, customerId: customer!.id, agentId: dana.id, rating: 5 },
    { conversationId: c4!, customerId: customer!.id, agentId: sam.id, rating: 2, comment: 'slow' },
    { conversationId: c2!, customerId: customer!.id, rating: 4 },
  ]);
  return { dana, sam };
}
