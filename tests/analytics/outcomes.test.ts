import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/db/client';
import type { MessageMetadata } from '@/db/schema';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import {
  type ConversationOutcome,
  conversationOutcomes,
  DURABLE_DAYS,
  OUTCOME_DEFINITIONS,
  OUTCOMES,
  outcomeBreakdown,
  QUIET_HOURS,
  settledOutcomes,
} from '@/lib/analytics/outcomes';
import { parseDateRange } from '@/lib/analytics/range';
import {
  handBack,
  resolve,
  resolveUnheld,
  sendAgentReply,
  takeOver,
} from '@/lib/conversations/handoff';
import { applyTransition } from '@/lib/conversations/lifecycle';
import { addNote } from '@/lib/conversations/notes';
import { recordAiMessage, recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { recordAnswerFeedback } from '@/lib/feedback/feedback';
import { applyRetention, retentionSchema } from '@/lib/privacy/retention';
import { createStaff, type StaffUser } from '@/lib/staff/queries';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ANSWER: MessageMetadata = {
  citations: [{ documentId: randomUUID(), slug: 'refunds', title: 'Refunds' }],
  abstained: false,
};

/**
 * A conversation told step by step through the lifecycle and the stores a turn uses; each step
 * runs after the one before. Time passes by moving everything already said back by that long,
 * so the story ends now and is judged by the real clock.
 */
class Story {
  /** The conversation the story is about: its first. */
  private rootId = '';
  /** The one the customer writes in now: a follow-up once the first was resolved. */
  private id = '';
  private ids: string[] = [];
  private customerId = '';
  private lastAnswerId = '';
  private steps: Promise<void>;

  constructor(
    private readonly app: TestDatabaseContext,
    text = 'How long do refunds take?',
  ) {
    this.steps = (async () => {
      this.customerId = (await createAnonymousCustomer(app.db)).id;
      const { conversation } = await recordCustomerMessage(app.db, {
        customerId: this.customerId,
        content: text,
      });
      this.id = conversation.id;
      this.rootId = conversation.id;
      this.ids = [conversation.id];
    })();
  }

  private step(run: () => Promise<unknown>) {
    this.steps = this.steps.then(async () => {
      await run();
    });
    return this;
  }

  /** The customer writes; after a resolution that starts a follow-up, which the story goes on in. */
  customer(text = 'One more question about that.') {
    return this.step(async () => {
      const { conversation } = await recordCustomerMessage(this.app.db, {
        customerId: this.customerId,
        conversationId: this.id,
        content: text,
      });
      this.id = conversation.id;
      if (!this.ids.includes(conversation.id)) this.ids.push(conversation.id);
    });
  }

  ai(metadata: MessageMetadata = ANSWER, content = 'Refunds take 5 to 10 working days.') {
    return this.step(async () => {
      this.lastAnswerId = randomUUID();
      await recordAiMessage(this.app.db, {
        id: this.lastAnswerId,
        conversationId: this.id,
        content,
        parts: [{ type: 'text', text: content }],
        metadata,
      });
    });
  }

  smallTalk() {
    return this.ai({ smallTalk: true }, 'You are welcome!');
  }

  abstain() {
    return this.ai({ abstained: true, citations: [] }, "I'm not sure about that.");
  }

  /** The AI hands the conversation to the team, as a turn does: the transition, then its words. */
  escalate() {
    const escalation = {
      reason: 'customer_request' as const,
      explanation: 'You asked for a person.',
    };
    return this.step(() =>
      applyTransition(this.app, this.id, {
        type: 'escalate',
        ...escalation,
        priority: 'medium',
        subject: 'Refund question',
      }),
    ).ai({ escalation }, 'A person from our team will reply here.');
  }

  thumbsDown() {
    return this.step(() =>
      recordAnswerFeedback(this.app.db, {
        customerId: this.customerId,
        messageId: this.lastAnswerId,
        helpful: false,
      }),
    );
  }

  takeOver(agent: StaffUser) {
    return this.step(() => takeOver(this.app, agent, this.id));
  }

  agentReplies(agent: StaffUser, text = 'I have refunded your order.') {
    return this.step(() => sendAgentReply(this.app, agent, this.id, text));
  }

  handBack(agent: StaffUser) {
    return this.step(() => handBack(this.app, agent, this.id));
  }

  resolveAs(agent: StaffUser) {
    return this.step(() => resolve(this.app, agent, this.id));
  }

  /** Resolved by a caller that is not an agent: the public API. */
  resolveThroughApi() {
    return this.step(() => resolveUnheld(this.app, this.id, { by: 'api' }));
  }

  note(agent: StaffUser) {
    return this.step(() =>
      addNote(this.app.db, {
        conversationId: this.id,
        author: { id: agent.id, name: agent.name },
        content: 'Customer seems happy.',
      }),
    );
  }

  later(ms: number) {
    const gap = sql.raw(`interval '${Math.round(ms)} milliseconds'`);
    return this.step(async () => {
      const ids = sql.join(
        this.ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
      await this.app.db.execute(
        sql`update messages set created_at = created_at - ${gap} where conversation_id in (${ids})`,
      );
      await this.app.db.execute(sql`update conversations set created_at = created_at - ${gap},
        last_message_at = last_message_at - ${gap}, escalated_at = escalated_at - ${gap},
        resolved_at = resolved_at - ${gap}, first_ai_reply_at = first_ai_reply_at - ${gap},
        first_agent_reply_at = first_agent_reply_at - ${gap}, claimed_at = claimed_at - ${gap},
        last_spoken_at = last_spoken_at - ${gap}, first_resolved_at = first_resolved_at - ${gap},
        reopened_at = reopened_at - ${gap}, facts_at = facts_at - ${gap}
        where id in (${ids})`);
    });
  }

  /** Its outcome once every step so far has run. */
  async judged(): Promise<ConversationOutcome> {
    await this.steps;
    const [judged] = await conversationOutcomes(this.app.db, { ids: [this.rootId] });
    return judged!;
  }

  async outcome() {
    return (await this.judged()).outcome;
  }

  /** Its outcome and durability. */
  async verdict() {
    const { outcome, durability } = await this.judged();
    return [outcome, durability];
  }
}

const QUIET = QUIET_HOURS * HOUR + 60_000;

function outcomeSuite(open: () => Promise<TestDatabaseContext>) {
  let app: TestDatabaseContext;
  let agent: StaffUser;
  beforeAll(async () => {
    app = await open();
    agent = await createStaff(app.db, {
      email: 'ines@x.test',
      name: 'Ines',
      role: 'agent',
      password: 'password-1',
    });
  });
  afterAll(() => app?.close());

  const begin = (text?: string) => new Story(app, text);

  describe('resolved by the AI alone', () => {
    it('is a conversation the AI answered and that was then resolved, at once', async () => {
      const story = begin().ai().resolveThroughApi();
      expect(await story.verdict()).toEqual(['ai_resolved', 'pending']);
    });

    it(`is assumed when the customer leaves after an answer and says nothing for ${QUIET_HOURS} hours`, async () => {
      const story = begin().ai();
      expect(await story.outcome()).toBe('in_progress');
      expect(await story.later(QUIET_HOURS * HOUR - 60_000).outcome()).toBe('in_progress');
      expect(await story.later(120_000).verdict()).toEqual(['ai_resolved', 'pending']);
    });

    it('still counts when the customer thanked the AI and it answered in kind', async () => {
      const story = begin().ai().customer('thanks!').smallTalk().later(QUIET);
      expect(await story.outcome()).toBe('ai_resolved');
    });

    it('still counts when a person only left an internal note: the customer never saw it', async () => {
      expect(await begin().ai().note(agent).later(QUIET).outcome()).toBe('ai_resolved');
    });

    it('still counts when a thumbed-down answer was then resolved: the resolution was recorded', async () => {
      expect(await begin().ai().thumbsDown().resolveThroughApi().outcome()).toBe('ai_resolved');
    });
  });

  describe('abandoned', () => {
    it('is a customer who left after the AI abstained', async () => {
      expect(await begin().abstain().later(QUIET).verdict()).toEqual(['abandoned', null]);
    });

    it('is a customer who left after thumbing the answer down', async () => {
      expect(await begin().ai().thumbsDown().later(QUIET).outcome()).toBe('abandoned');
    });

    it('is a customer who only exchanged greetings: small talk is not an answer', async () => {
      expect(await begin('hi').smallTalk().later(QUIET).outcome()).toBe('abandoned');
    });

    it('is a customer whose last message got no reply', async () => {
      expect(await begin().ai().customer('Hello?').later(QUIET).outcome()).toBe('abandoned');
    });
  });

  describe('escalated', () => {
    it('is a conversation waiting for a person, however long it waits: never abandoned', async () => {
      const story = begin('I want a person')
        .escalate()
        .later(3 * DAY);
      expect(await story.verdict()).toEqual(['escalated', null]);
    });

    it('is a conversation a person holds and has not resolved', async () => {
      expect(await begin().ai().takeOver(agent).agentReplies(agent).outcome()).toBe('escalated');
    });
  });

  describe('assisted', () => {
    it('is a conversation a person took over and resolved', async () => {
      const story = begin().escalate().takeOver(agent).agentReplies(agent).resolveAs(agent);
      expect(await story.outcome()).toBe('assisted');
    });

    it(`is assumed when a person answered, handed back, and the customer left for ${QUIET_HOURS} hours`, async () => {
      const story = begin().escalate().takeOver(agent).agentReplies(agent).handBack(agent);
      expect(await story.outcome()).toBe('in_progress');
      expect(await story.later(QUIET).outcome()).toBe('assisted');
    });

    it('is an escalated conversation resolved through the API without a person joining', async () => {
      expect(await begin().escalate().resolveThroughApi().outcome()).toBe('assisted');
    });
  });

  describe(`durable: not reopened within ${DURABLE_DAYS} days of the first resolution`, () => {
    it(`is judged only ${DURABLE_DAYS} days after the resolution`, async () => {
      const story = begin()
        .ai()
        .resolveThroughApi()
        .later((DURABLE_DAYS - 1) * DAY);
      expect((await story.judged()).durability).toBe('pending');
      expect(await story.later(2 * DAY).verdict()).toEqual(['ai_resolved', 'durable']);
    });

    it('is not durable when the customer came back within the window (a follow-up conversation), even once that was resolved', async () => {
      const story = begin()
        .ai()
        .resolveThroughApi()
        .later(2 * DAY)
        .customer('It still has not arrived.')
        .ai()
        .resolveThroughApi()
        .later((DURABLE_DAYS + 1) * DAY);
      expect(await story.verdict()).toEqual(['ai_resolved', 'reopened']);
    });

    it('is durable when the customer came back only after 8 days, whatever happens next', async () => {
      const story = begin()
        .ai()
        .resolveThroughApi()
        .later(8 * DAY)
        .customer('A new question about another order.')
        .escalate();
      // The return is a conversation of its own: the first stays resolved by the AI.
      expect(await story.verdict()).toEqual(['ai_resolved', 'durable']);
    });

    it('is not durable when an assumed resolution was followed by the customer coming back', async () => {
      const story = begin()
        .ai()
        .later(2 * DAY)
        .customer('That did not work.')
        .ai()
        .later((DURABLE_DAYS + 1) * DAY);
      expect(await story.verdict()).toEqual(['ai_resolved', 'reopened']);
    });

    it('counts a quiet spell as a resolution only when the customer had an answer and the AI had them', async () => {
      // Quiet after an abstention: abandoned, not resolved, so the return reopens nothing.
      const abstained = begin()
        .abstain()
        .later(2 * DAY)
        .customer('Anyone?')
        .ai()
        .later((DURABLE_DAYS + 1) * DAY);
      expect(await abstained.verdict()).toEqual(['ai_resolved', 'durable']);

      // Quiet while a person holds it after answering: with the team, not resolved; the
      // resolution is the person's, later.
      const held = begin()
        .escalate()
        .takeOver(agent)
        .agentReplies(agent)
        .later(2 * DAY)
        .customer('Any news?')
        .agentReplies(agent)
        .resolveAs(agent)
        .later((DURABLE_DAYS + 1) * DAY);
      expect(await held.verdict()).toEqual(['assisted', 'durable']);
    });
  });

  describe('after the retention policy removed the transcript', () => {
    it('judges the conversation from its row: the figures of answered conversations survive', async () => {
      const stories = [
        begin().ai().resolveThroughApi(),
        begin().ai(),
        begin().escalate().takeOver(agent).agentReplies(agent).resolveAs(agent),
        begin().abstain(),
        begin().ai().later(QUIET).customer('That did not help.').ai(),
      ].map((story) => story.later(31 * DAY));
      const figures = async () =>
        (await Promise.all(stories.map((story) => story.judged()))).map((j) => [
          j.outcome,
          j.durability,
        ]);
      const before = await figures();
      expect(before).toEqual([
        ['ai_resolved', 'durable'],
        ['ai_resolved', 'durable'],
        ['assisted', 'durable'],
        ['abandoned', null],
        ['ai_resolved', 'reopened'],
      ]);

      const report = await applyRetention(app.db, retentionSchema.parse({}));
      expect(report.conversations).toBe(5);
      expect(await figures()).toEqual(before);
    });
  });

  describe('the outcome facts the database keeps', () => {
    const FACTS = sql.raw(`reply_verdict, last_reply_id, last_speaker, last_spoken_at, with_team,
      first_resolved_at, reopened_at, facts_at`);
    const factsOf = async (ids: string[]) => {
      const rows = rowsOf<Record<string, unknown>>(
        await app.db.execute(
          sql`select id, ${FACTS} from conversations where id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
        ),
      );
      return ids.map((id) => rows.find((row) => row.id === id)!);
    };

    it('are the same worked out again from the whole transcript as kept message by message', async () => {
      const stories = [
        begin().ai().customer('thanks!').smallTalk().later(QUIET).customer('Another thing.').ai(),
        begin().escalate().takeOver(agent).agentReplies(agent).handBack(agent).later(QUIET),
        begin()
          .ai()
          .thumbsDown()
          .later(2 * DAY)
          .customer('Still broken.')
          .abstain(),
        begin().ai().resolveThroughApi().later(DAY).customer('It came back.'),
      ];
      const ids = await Promise.all(stories.map(async (story) => (await story.judged()).id));
      const kept = await factsOf(ids);
      for (const id of ids)
        await app.db.execute(sql`select tandem_refresh_outcome_facts(${id}::uuid)`);
      expect(await factsOf(ids)).toEqual(kept);
      // The last one's customer came back in a follow-up conversation: it is not reopened itself.
      expect(kept.map((f) => f.reopened_at === null)).toEqual([false, true, true, true]);
    });

    it('replay the transcript when a message arrives dated before the last one (an import)', async () => {
      const story = begin().ai();
      const { id } = await story.judged();
      await app.db.execute(sql`insert into messages (conversation_id, role, content, created_at)
        values (${id}::uuid, 'customer', 'An earlier question.', now() - interval '1 hour')`);
      const [facts] = await factsOf([id]);
      expect(facts).toMatchObject({ last_speaker: 'ai', reply_verdict: 'answered' });
      expect(await story.later(QUIET).outcome()).toBe('ai_resolved');
    });
  });

  describe("an agent's row on the dashboard", () => {
    it('keeps counting a conversation they resolved after the customer writes again', async () => {
      const rui = await createStaff(app.db, {
        email: 'rui@x.test',
        name: 'Rui',
        role: 'agent',
        password: 'password-1',
      });
      const range = parseDateRange({ days: '30' });
      const row = async () =>
        (await dashboardMetrics(app.db, range)).agents.find((a) => a.id === rui.id);
      const story = begin().escalate().takeOver(rui).agentReplies(rui).resolveAs(rui);
      await story.judged();
      expect(await row()).toMatchObject({ conversations: 1, resolved: 1 });
      expect(await story.customer('Thanks! A new question now.').ai().outcome()).toBe('assisted');
      expect(await row()).toMatchObject({ conversations: 1, resolved: 1 });
    });
  });

  describe('outcomes of a range', () => {
    it('gives every conversation one outcome, with rates, and agrees with the dashboard', async () => {
      await begin().ai().judged();
      const range = parseDateRange({ days: '30' });
      const breakdown = await outcomeBreakdown(app.db, { range });
      const listed = await conversationOutcomes(app.db, { range });
      expect(breakdown.conversations).toBe(listed.length);
      for (const outcome of OUTCOMES) {
        const count = listed.filter((c) => c.outcome === outcome).length;
        expect(count).toBeGreaterThan(0);
        expect(breakdown.outcomes[outcome]).toEqual({ count, rate: count / listed.length });
        expect(OUTCOME_DEFINITIONS[outcome].definition).not.toBe('');
      }
      for (const outcome of OUTCOMES) {
        const perDay = breakdown.daily.reduce((sum, d) => sum + d.counts[outcome], 0);
        expect(perDay).toBe(breakdown.outcomes[outcome].count);
      }
      expect(breakdown.aiResolutionSeconds.n).toBe(breakdown.outcomes.ai_resolved.count);
      const tally = (d: string | null) => listed.filter((c) => c.durability === d).length;
      expect(tally('reopened')).toBeGreaterThan(0);
      expect(breakdown.durable).toEqual({
        judged: tally('durable') + tally('reopened'),
        durable: tally('durable'),
        reopened: tally('reopened'),
        pending: tally('pending'),
        rate: tally('durable') / (tally('durable') + tally('reopened')),
      });
      const m = await dashboardMetrics(app.db, range);
      expect(m.outcomes.outcomes).toEqual(breakdown.outcomes);
      expect(m.totals.aiResolved).toBe(breakdown.outcomes.ai_resolved.count);
      expect(m.resolution.ai).toEqual(breakdown.aiResolutionSeconds);
    });
  });
}

describe('on PGlite', () => outcomeSuite(() => openTestDatabase()));

describe.runIf(testEnv.databaseUrl)('on PostgreSQL', () => {
  let database: TestDatabase | undefined;
  // Registered first, so it runs after the suite has closed its connection.
  afterAll(() => database?.drop());
  outcomeSuite(async () => {
    database = await createTestDatabase(testEnv.databaseUrl!);
    return openTestDatabase({ DATABASE_URL: database.url });
  });
});

describe('outcomes of a desk test run', () => {
  it('judges a sandbox as if every customer had left after the last scripted turn', async () => {
    const sandbox = await openTestDatabase();
    try {
      const stories = [
        new Story(sandbox).ai(),
        new Story(sandbox).abstain(),
        new Story(sandbox, 'hi').smallTalk(),
        new Story(sandbox, 'A person please').escalate(),
      ];
      for (const story of stories) await story.judged();
      expect((await outcomeBreakdown(sandbox.db)).outcomes.in_progress.count).toBe(3);
      expect(await settledOutcomes(sandbox.db)).toEqual({
        conversations: 4,
        outcomes: { ai_resolved: 1, assisted: 0, escalated: 1, abandoned: 2, in_progress: 0 },
      });
    } finally {
      await sandbox.close();
    }
  });
});
