import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import {
  conversations,
  csatRatings,
  customers,
  kbDocuments,
  knowledgeGaps,
  messageCitations,
  messageFeedback,
  messages,
  tickets,
  users,
} from '@/db/schema';
import type { Classification } from '@/lib/classify/schema';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';

export interface DemoHistoryOptions {
  conversations: number;
  /** Spread over this many days up to now. */
  days?: number;
  /** Same seed, same history. */
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

const BATCH = 500;
const FIRST = [
  'Alice',
  'Ben',
  'Chloe',
  'Daniel',
  'Aisha',
  'Wei Jie',
  'Priya',
  'Marcus',
  'Siti',
  'Kenji',
  'Nurul',
  'Ethan',
  'Mei Ling',
  'Arjun',
  'Farah',
  'Lucas',
  'Hui Min',
  'Ravi',
  'Sofia',
  'Jun Hao',
];
const LAST = [
  'Tan',
  'Lim',
  'Lee',
  'Ng',
  'Wong',
  'Kumar',
  'Rahman',
  'Chen',
  'Goh',
  'Singh',
  'Ong',
  'Koh',
  'Abdullah',
  'Teo',
  'Nair',
];
const ZH_QUESTIONS = [
  '我的包裹什么时候到？',
  '退款多久能到账？',
  '怎么修改密码？',
  '为什么我的付款失败了？',
  '还是不行，太差了！',
];
const REASONS: [EscalationReason, number][] = [
  ['customer_request', 45],
  ['low_confidence', 25],
  ['high_frustration', 12],
  ['repeated_frustration', 6],
  ['declining_sentiment', 5],
  ['urgent_priority', 7],
];
// Relative traffic per hour of the day (UTC), busiest in Singapore's working day.
const HOURLY = [9, 10, 10, 9, 8, 7, 6, 5, 4, 3, 3, 4, 6, 7, 6, 4, 2, 1, 1, 1, 2, 3, 5, 8];

/** A small seeded generator (mulberry32): the same seed gives the same history. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const weighted = <T>(items: readonly [T, number][]) => {
    let r = next() * items.reduce((s, [, w]) => s + w, 0);
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items.at(-1)![0];
  };
  return {
    next,
    pick,
    weighted,
    chance: (p: number) => next() < p,
    between: (lo: number, hi: number) => lo + next() * (hi - lo),
  };
}

async function examplesByCategory(): Promise<Map<string, string[]>> {
  const file = path.join(process.cwd(), 'content', 'classifier', 'categories.jsonl');
  const byLabel = new Map<string, string[]>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    const { text, label } = JSON.parse(line) as { text: string; label: string };
    byLabel.set(label, [...(byLabel.get(label) ?? []), text]);
  }
  return byLabel;
}

/**
 * Realistic support history for demos and load tests: customers, conversations with messages and
 * classifications, AI answers citing the knowledge base, escalations handled by agents, tickets,
 * CSAT, thumbs and unanswered questions — written in bulk.
 */
export async function seedDemoHistory(db: Database, options: DemoHistoryOptions): Promise<void> {
  const random = generator(options.seed ?? 20261121);
  const days = options.days ?? 90;
  const questions = await examplesByCategory();
  const categories = [...questions.keys()];
  const docs = await db
    .select({ id: kbDocuments.id, slug: kbDocuments.slug, title: kbDocuments.title })
    .from(kbDocuments);
  const agents = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(eq(users.role, 'agent'));
  if (agents.length === 0)
    agents.push(...(await db.select({ id: users.id, name: users.name }).from(users)));
  const now = Date.now();

  for (let start = 0; start < options.conversations; start += BATCH) {
    const size = Math.min(BATCH, options.conversations - start);
    const batch = {
      customers: [] as (typeof customers.$inferInsert)[],
      conversations: [] as (typeof conversations.$inferInsert)[],
      messages: [] as (typeof messages.$inferInsert)[],
      citations: [] as (typeof messageCitations.$inferInsert)[],
      feedback: [] as (typeof messageFeedback.$inferInsert)[],
      csat: [] as (typeof csatRatings.$inferInsert)[],
      tickets: [] as (typeof tickets.$inferInsert)[],
      gaps: [] as (typeof knowledgeGaps.$inferInsert)[],
    };
    for (let i = 0; i < size; i++) {
      const customerId = randomUUID();
      const name = `${random.pick(FIRST)} ${random.pick(LAST)}`;
      batch.customers.push({
        id: customerId,
        name,
        email: `${name.toLowerCase().replaceAll(' ', '.')}.${start + i}@example.com`,
        profile: {},
      });
      const day = Math.floor(random.next() * days);
      const hour = random.weighted(HOURLY.map((w, h) => [h, w] as [number, number]));
      const createdAt = new Date(
        Date.UTC(
          new Date(now).getUTCFullYear(),
          new Date(now).getUTCMonth(),
          new Date(now).getUTCDate(),
        ) -
          day * 86_400_000 +
          hour * 3_600_000 +
          Math.floor(random.next() * 3_600_000),
      );
      if (createdAt.getTime() > now) createdAt.setTime(now - Math.floor(random.next() * 3_600_000));
      const chinese = random.chance(0.06);
      const category = random.pick(categories);
      const escalate = random.chance(0.18);
      const conversationId = randomUUID();
      let clock = createdAt.getTime();
      const turns = 3 + Math.floor(random.next() * 5);
      let firstAi: Date | null = null;
      let polarity = 0;
      for (let t = 0; t < turns; t++) {
        const text = chinese ? random.pick(ZH_QUESTIONS) : random.pick(questions.get(category)!);
        polarity = Math.max(-1, Math.min(1, random.between(-0.8, 0.6) - (escalate ? 0.3 : 0)));
        const frustration = Math.max(0, -polarity * random.between(0.5, 1));
        const classification: Classification = {
          category,
          intent: t === 0 ? 'question' : random.pick(['question', 'request', 'feedback'] as const),
          priority: random.weighted([
            ['low', 3],
            ['medium', 5],
            ['high', 2],
            ['urgent', 0.5],
          ] as const),
          sentiment: {
            polarity,
            label: polarity < -0.1 ? 'negative' : polarity > 0.1 ? 'positive' : 'neutral',
            frustration,
          },
          language: chinese ? 'zh' : 'en',
          summary: text.slice(0, 120),
          requiresHuman: false,
          confidence: random.between(0.55, 0.99),
        };
        const customerMessageId = randomUUID();
        batch.messages.push({
          id: customerMessageId,
          conversationId,
          role: 'customer',
          content: text,
          metadata: { classification },
          createdAt: new Date(clock),
        });
        clock += random.between(1, 8) * 1000;
        const doc = docs.length ? random.pick(docs) : null;
        const abstained = !doc || random.chance(0.08);
        const answerId = randomUUID();
        batch.messages.push({
          id: answerId,
          conversationId,
          role: 'ai',
          content: abstained
            ? "I'm not sure I can answer that from our help center. Would you like me to connect you with a person?"
            : `Here is what our help center says about this [1].`,
          metadata: abstained
            ? { abstained: true, confidence: 0.2 }
            : {
                citations: [{ documentId: doc!.id, slug: doc!.slug, title: doc!.title }],
                confidence: 0.7,
              },
          createdAt: new Date(clock),
        });
        firstAi ??= new Date(clock);
        if (abstained) {
          batch.gaps.push({
            conversationId,
            messageId: customerMessageId,
            question: text,
            reason: 'abstained',
            category,
            language: classification.language,
            createdAt: new Date(clock),
          });
        } else {
          batch.citations.push({
            messageId: answerId,
            conversationId,
            documentId: doc!.id,
            createdAt: new Date(clock),
          });
        }
        if (random.chance(0.1))
          batch.feedback.push({
            messageId: answerId,
            conversationId,
            helpful: random.chance(abstained ? 0.2 : 0.8),
          });
        clock += random.between(20, 300) * 1000;
      }
      const row: typeof conversations.$inferInsert = {
        id: conversationId,
        customerId,
        category,
        priority: random.weighted([
          ['low', 3],
          ['medium', 5],
          ['high', 2],
          ['urgent', 0.5],
        ] as const),
        sentiment: polarity,
        language: chinese ? 'zh' : 'en',
        createdAt,
        firstAiReplyAt: firstAi,
        lastMessageAt: new Date(clock),
      };
      if (escalate) {
        const reason = random.weighted(REASONS);
        const escalatedAt = new Date(clock);
        batch.messages.push({
          conversationId,
          role: 'system',
          content: `Escalated to the support team (${reason}).`,
          metadata: { event: 'escalated', escalation: { reason, explanation: '' } },
          createdAt: escalatedAt,
        });
        batch.tickets.push({
          customerId,
          conversationId,
          subject: `Escalated: ${category}`,
          description: `Escalated from chat (${reason}).`,
          priority: row.priority ?? 'medium',
          status: 'open',
          createdAt: escalatedAt,
        });
        Object.assign(row, {
          escalatedAt,
          escalationReason: reason,
          status: 'waiting',
          owner: 'none',
        });
        if (random.chance(0.85) && agents.length > 0) {
          const agent = random.pick(agents);
          const claimedAt = new Date(clock + random.between(30, 1800) * 1000);
          const firstReply = new Date(claimedAt.getTime() + random.between(20, 240) * 1000);
          const resolvedAt = new Date(firstReply.getTime() + random.between(120, 3600) * 1000);
          batch.messages.push(
            {
              conversationId,
              role: 'system',
              content: `${agent.name} joined the conversation`,
              metadata: { event: 'joined', agent },
              createdAt: claimedAt,
            },
            {
              conversationId,
              role: 'agent',
              authorId: agent.id,
              content: "Hi, I'm here to help — let me check that for you.",
              metadata: { agent },
              createdAt: firstReply,
            },
            {
              conversationId,
              role: 'system',
              content: `${agent.name} resolved the conversation`,
              metadata: { event: 'resolved', agent },
              createdAt: resolvedAt,
            },
          );
          const ticket = batch.tickets.at(-1)!;
          ticket.status = 'resolved';
          Object.assign(row, {
            status: 'resolved',
            owner: 'ai',
            assignedAgentId: agent.id,
            claimedAt,
            firstAgentReplyAt: firstReply,
            resolvedAt,
            resolvedBy: 'human',
            handledByHuman: true,
            lastMessageAt: resolvedAt,
          });
          if (random.chance(0.6)) {
            batch.csat.push({
              conversationId,
              customerId,
              agentId: agent.id,
              rating: random.weighted([
                [1, 1],
                [2, 1],
                [3, 2],
                [4, 4],
                [5, 6],
              ]),
              createdAt: resolvedAt,
            });
          }
        }
      } else if (random.chance(0.25)) {
        Object.assign(row, { status: 'resolved', resolvedAt: new Date(clock), resolvedBy: 'ai' });
      }
      batch.conversations.push(row);
    }
    await db.transaction(async (tx) => {
      await insertInChunks(tx, customers, batch.customers);
      await insertInChunks(tx, conversations, batch.conversations);
      await insertInChunks(tx, messages, batch.messages);
      await insertInChunks(tx, messageCitations, batch.citations);
      await insertInChunks(tx, messageFeedback, batch.feedback);
      await insertInChunks(tx, csatRatings, batch.csat);
      await insertInChunks(tx, tickets, batch.tickets);
      await insertInChunks(tx, knowledgeGaps, batch.gaps);
    });
    options.onProgress?.(start + size, options.conversations);
  }
}

// Keeps each statement well under PostgreSQL's 65,535 parameters.
async function insertInChunks<T extends Record<string, unknown>>(
  db: Database,
  // biome-ignore lint/suspicious/noExplicitAny: any drizzle table
  table: any,
  rows: T[],
  size = 1000,
) {
  for (let i = 0; i < rows.length; i += size)
    await db.insert(table).values(rows.slice(i, i + size));
}
