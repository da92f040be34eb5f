import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { conversations, customers, type MessageMetadata } from '@/db/schema';
import { ESCALATION_REASONS, type EscalationReason } from '@/lib/conversations/escalation-reasons';
import { listMessages } from '@/lib/conversations/queries';
import { TandemError } from '@/lib/errors';
import { type DeskTestCase, deskTestCaseSchema, type Expectation, NEW_CUSTOMER } from './case';

/** As many turns, and as long, as a case may hold (see deskTestCaseSchema). */
const MAX_DRAFT_TURNS = 20;
const MAX_DRAFT_TURN_CHARS = 4000;

/**
 * A case drafted from a real conversation, for an admin to check before saving: the customer's
 * messages as its turns (the last twenty when there are more, since the expectation is checked
 * on the end), as the same site user when the customer was one, and as expectation what the
 * desk did at the end — the hand-off and its reason, or the last reply's kind, first citation,
 * first tool and language. Nothing is stored.
 */
export async function draftCaseFromConversation(
  db: Database,
  conversationId: string,
): Promise<DeskTestCase> {
  const [found] = await db
    .select({
      escalationReason: conversations.escalationReason,
      language: conversations.language,
      externalId: customers.externalId,
    })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .where(eq(conversations.id, conversationId));
  if (!found) throw new TandemError('not_found:conversation', 'No conversation has that id.');
  const history = await listMessages(db, conversationId);
  const turns = history
    .filter((m) => m.role === 'customer')
    .map((m) => m.content.trim().slice(0, MAX_DRAFT_TURN_CHARS).trim())
    .filter((text) => text.length > 0)
    .slice(-MAX_DRAFT_TURNS);
  if (turns.length === 0) {
    throw new TandemError(
      'bad_request:desk_test',
      'This conversation has no customer messages to make a test of.',
    );
  }
  const lastReply = history.findLast((m) => m.role === 'ai')?.metadata ?? null;
  return deskTestCaseSchema.parse({
    id: `conversation-${conversationId.slice(0, 8)}`,
    customer: found.externalId ?? NEW_CUSTOMER,
    turns,
    expect: expectationOf(found.escalationReason, lastReply, found.language),
  });
}

function expectationOf(
  escalationReason: string | null,
  reply: MessageMetadata | null,
  language: string | null,
): Partial<Expectation> {
  const inLanguage = language && /^[a-z]{2}$/.test(language) ? { language } : {};
  if (escalationReason) {
    const known = (ESCALATION_REASONS as readonly string[]).includes(escalationReason);
    return {
      kind: 'escalate',
      reason: known ? (escalationReason as EscalationReason) : null,
    };
  }
  if (!reply) return { kind: 'answer', ...inLanguage };
  if (reply.smallTalk) return { kind: 'smalltalk', ...inLanguage };
  if (reply.abstained) return { kind: 'abstain', ...inLanguage };
  const tool = reply.tools?.[0];
  if (tool) return { kind: 'tool', tool: { name: tool.tool, args: {} }, ...inLanguage };
  return { kind: 'answer', article: reply.citations?.[0]?.slug ?? null, ...inLanguage };
}
