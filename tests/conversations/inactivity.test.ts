import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, jobs, type MessageMetadata, messages } from '@/db/schema';
import { conversationOutcomes } from '@/lib/analytics/outcomes';
import { handBack, takeOver } from '@/lib/conversations/handoff';
import { applyInactivityPolicy } from '@/lib/conversations/inactivity';
import { applyTransition } from '@/lib/conversations/lifecycle';
import { recordAiMessage, recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { recordAnswerFeedback } from '@/lib/feedback/feedback';
import {
  INACTIVITY_JOB,
  runInactivitySweep,
  scheduleInactivitySweep,
  sweepEverySeconds,
} from '@/lib/jobs/inactivity';
import { saveInactivitySettings } from '@/lib/settings/inactivity';
import {
  DEFAULT_INACTIVITY_SETTINGS,
  describeQuietTime,
  type InactivitySettings,
  inactivitySettingsSchema,
} from '@/lib/settings/schema';
import { createStaff, type StaffUser } from '@/lib/staff/queries';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

const MINUTE = 60_000;
const ANSWER: MessageMetadata = {
  citations: [{ documentId: randomUUID(), slug: 'refunds', title: 'Refunds' }],
  abstained: false,
};
const POLICY: InactivitySettings = {
  ask: { enabled: true, afterSeconds: 300 },
  resolve: { enabled: true, afterSeconds: 600 },
};

let app: TestDatabaseContext;
let dana: StaffUser;

beforeAll(async () => {
  app = await openTestDatabase();
  dana = await createStaff(app.db, {
    email: 'dana@example.com',
    name: 'Dana',
    role: 'agent',
    password: 'correct horse',
  });
}, 60_000);
afterAll(() => app?.close());

/** The policy is judged at moments after the conversation, counted from when it was set up. */
let origin = Date.now();
const at = (minutes: number) => new Date(origin + minutes * MINUTE);
const pass = (minutes: number, settings = POLICY) =>
  applyInactivityPolicy(app, settings, { now: at(minutes) });

async function answered(metadata: MessageMetadata = ANSWER) {
  const customerId = (await createAnonymousCustomer(app.db)).id;
  const { conversation } = await recordCustomerMessage(app.db, {
    customerId,
    content: 'How long do refunds take?',
  });
  await recordAiMessage(app.db, {
    id: randomUUID(),
    conversationId: conversation.id,
    content: 'Refunds take 5 to 10 working days.',
    parts: [],
    metadata,
  });
  origin = Date.now();
  return { customerId, id: conversation.id };
}

const row = async (id: string) =>
  (await app.db.select().from(conversations).where(eq(conversations.id, id)))[0]!;
const events = async (id: string) =>
  (
    await app.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, id), eq(messages.role, 'system')))
      .orderBy(asc(messages.createdAt))
  ).map((m) => m.metadata.event);
const outcomeOf = async (id: string) => (await conversationOutcomes(app.db, { ids: [id] }))[0]!;

/**
 * Each test has the database to itself: a pass judges every conversation, so earlier tests'
 * conversations are resolved out of the way first.
 */
async function clear() {
  await applyInactivityPolicy(
    app,
    { ask: { enabled: false, afterSeconds: 60 }, resolve: { enabled: true, afterSeconds: 60 } },
    { now: new Date(Date.now() + 1000 * MINUTE) },
  );
}

describe('the inactivity policy', () => {
  it('asks a quiet customer whether they are still there, once, then resolves as resolved by the AI', async () => {
    await clear();
    const { id } = await answered();
    expect(await pass(4)).toEqual({ asked: 0, resolved: 0 });
    expect(await pass(6)).toEqual({ asked: 1, resolved: 0 });
    expect(await pass(7)).toEqual({ asked: 0, resolved: 0 });
    expect(await events(id)).toEqual(['inactivity_check']);
    expect((await row(id)).status).toBe('open');

    // Ten minutes after the question, not after the answer.
    expect(await pass(15)).toEqual({ asked: 0, resolved: 0 });
    expect(await pass(17)).toEqual({ asked: 0, resolved: 1 });
    const resolved = await row(id);
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedBy: 'ai',
      resolvedForInactivity: true,
      owner: 'ai',
    });
    expect(await events(id)).toEqual(['inactivity_check', 'resolved']);
    expect((await outcomeOf(id)).outcome).toBe('ai_resolved');
    expect(await pass(60)).toEqual({ asked: 0, resolved: 0 });
  });

  it('leaves the conversation open when the customer answers the question', async () => {
    await clear();
    const { customerId, id } = await answered();
    await pass(6);
    await recordCustomerMessage(app.db, {
      customerId,
      conversationId: id,
      content: 'Yes, one more question.',
    });
    expect(await pass(30)).toEqual({ asked: 0, resolved: 0 });
    expect((await row(id)).status).toBe('open');
  });

  it('never touches a conversation waiting for or held by a person', async () => {
    await clear();
    const { id: waiting } = await answered();
    await applyTransition(app, waiting, {
      type: 'escalate',
      reason: 'customer_request',
      explanation: 'Asked for a person.',
      priority: 'medium',
      subject: 'Refund',
    });
    const { id: held } = await answered();
    await takeOver(app, dana, held);
    expect(await pass(6)).toEqual({ asked: 0, resolved: 0 });
    expect(await pass(600)).toEqual({ asked: 0, resolved: 0 });
    expect((await row(waiting)).status).toBe('waiting');
    expect((await row(held)).owner).toBe('human');
  });

  it('counts as resolved by the AI only when the AI answered and nobody asked for a person', async () => {
    await clear();
    const { id: abstained } = await answered({ abstained: true, citations: [] });
    const { id: thumbedDown, customerId } = await answered();
    const [answer] = await app.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, thumbedDown), eq(messages.role, 'ai')));
    await recordAnswerFeedback(app.db, { customerId, messageId: answer!.id, helpful: false });
    const { id: handedBack } = await answered();
    await applyTransition(app, handedBack, {
      type: 'escalate',
      reason: 'customer_request',
      explanation: 'Asked for a person.',
      priority: 'medium',
      subject: 'Refund',
    });
    await takeOver(app, dana, handedBack);
    await handBack(app, dana, handedBack);
    await recordAiMessage(app.db, {
      id: randomUUID(),
      conversationId: handedBack,
      content: 'Anything else?',
      parts: [],
      metadata: ANSWER,
    });

    await pass(6);
    expect(await pass(17)).toEqual({ asked: 0, resolved: 3 });
    expect((await outcomeOf(abstained)).outcome).toBe('abandoned');
    // Abandoned, not resolved: nothing to judge as durable.
    expect((await outcomeOf(abstained)).durability).toBeNull();
    expect((await outcomeOf(thumbedDown)).outcome).toBe('abandoned');
    expect((await outcomeOf(handedBack)).outcome).toBe('assisted');
  });

  it('resolves after the silence alone when the question is off, and does nothing when both are off', async () => {
    await clear();
    const noQuestion: InactivitySettings = {
      ...POLICY,
      ask: { enabled: false, afterSeconds: 300 },
    };
    const { id } = await answered();
    expect(await pass(9, noQuestion)).toEqual({ asked: 0, resolved: 0 });
    expect(await pass(11, noQuestion)).toEqual({ asked: 0, resolved: 1 });
    expect(await events(id)).toEqual(['resolved']);

    const off: InactivitySettings = {
      ask: { enabled: false, afterSeconds: 300 },
      resolve: { enabled: false, afterSeconds: 600 },
    };
    const { id: left } = await answered();
    expect(await pass(10_000, off)).toEqual({ asked: 0, resolved: 0 });
    expect((await row(left)).status).toBe('open');
  });

  it('resolves without the question a conversation it missed asking for over an hour', async () => {
    await clear();
    const { id } = await answered();
    // Quiet for 5 + 60 minutes and more: the question would come too late to help.
    expect(await pass(66)).toEqual({ asked: 0, resolved: 1 });
    expect(await events(id)).toEqual(['resolved']);
  });
});

describe('its settings', () => {
  it('are whole seconds between 5 and a day for each step, each of which can be off', () => {
    expect(inactivitySettingsSchema.parse(DEFAULT_INACTIVITY_SETTINGS)).toEqual(
      DEFAULT_INACTIVITY_SETTINGS,
    );
    // The product default is unchanged: ten minutes, then ten more.
    expect(DEFAULT_INACTIVITY_SETTINGS).toEqual({
      ask: { enabled: true, afterSeconds: 600 },
      resolve: { enabled: true, afterSeconds: 600 },
    });
    for (const afterSeconds of [5, 45, 86_400]) {
      expect(
        inactivitySettingsSchema.safeParse({ ...POLICY, ask: { enabled: true, afterSeconds } })
          .success,
      ).toBe(true);
    }
    for (const afterSeconds of [0, 4, 7.5, 86_401, '600']) {
      const result = inactivitySettingsSchema.safeParse({
        ...POLICY,
        ask: { enabled: true, afterSeconds },
      });
      expect(result.success).toBe(false);
    }
  });

  it('are described as people say them', () => {
    expect(describeQuietTime(1)).toBe('1 second');
    expect(describeQuietTime(45)).toBe('45 seconds');
    expect(describeQuietTime(60)).toBe('1 minute');
    expect(describeQuietTime(90)).toBe('90 seconds');
    expect(describeQuietTime(600)).toBe('10 minutes');
  });
});

describe('a policy in seconds', () => {
  it('asks and resolves seconds apart, and says how long the customer was quiet', async () => {
    await clear();
    const { id } = await answered();
    const quick: InactivitySettings = {
      ask: { enabled: true, afterSeconds: 5 },
      resolve: { enabled: true, afterSeconds: 5 },
    };
    const passAt = (seconds: number) =>
      applyInactivityPolicy(app, quick, { now: new Date(origin + seconds * 1000) });
    expect(await passAt(3)).toEqual({ asked: 0, resolved: 0 });
    expect(await passAt(6)).toEqual({ asked: 1, resolved: 0 });
    expect(await passAt(9)).toEqual({ asked: 0, resolved: 0 });
    expect(await passAt(12)).toEqual({ asked: 0, resolved: 1 });
    const [, resolved] = await app.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, id), eq(messages.role, 'system')))
      .orderBy(asc(messages.createdAt));
    expect(resolved!.content).toBe(
      'The conversation was resolved after 12 seconds without a reply from the customer',
    );
  });
});

describe('its job', () => {
  it('is queued once a minute while the policy is on, and not at all while it is off', async () => {
    const queued = () => app.db.select().from(jobs).where(eq(jobs.type, INACTIVITY_JOB));
    await app.db.delete(jobs).where(eq(jobs.type, INACTIVITY_JOB));
    await saveInactivitySettings(app.db, {
      ask: { enabled: false, afterSeconds: 300 },
      resolve: { enabled: false, afterSeconds: 600 },
    });
    expect(await scheduleInactivitySweep(app.db)).toBeNull();
    expect(await runInactivitySweep(app)).toMatchObject({ off: true });
    expect(await queued()).toHaveLength(0);

    await saveInactivitySettings(app.db, POLICY);
    const now = Date.now();
    const first = await scheduleInactivitySweep(app.db, now);
    // Every instance scheduling the same minute gets the same job.
    expect(await scheduleInactivitySweep(app.db, now)).toBe(first);
    const [job] = await queued();
    expect(job!.runAt.getTime() % MINUTE).toBe(0);
    expect(job!.runAt.getTime()).toBeGreaterThan(now);

    // A pass queues the next one before it works.
    await clear();
    await runInactivitySweep(app, new Date(job!.runAt.getTime()));
    expect(await queued()).toHaveLength(2);
  });

  it('runs often enough for delays of seconds, and meets the minute chain when they change', async () => {
    const minutes = (ask: number, resolve: number, askOn = true): InactivitySettings => ({
      ask: { enabled: askOn, afterSeconds: ask },
      resolve: { enabled: true, afterSeconds: resolve },
    });
    expect(sweepEverySeconds(DEFAULT_INACTIVITY_SETTINGS)).toBe(60);
    expect(sweepEverySeconds(minutes(60, 600))).toBe(15);
    expect(sweepEverySeconds(minutes(5, 5))).toBe(5);
    expect(sweepEverySeconds(minutes(30, 600))).toBe(5);
    // A step that is off does not set the pace.
    expect(sweepEverySeconds(minutes(5, 600, false))).toBe(60);

    const queued = () =>
      app.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.type, INACTIVITY_JOB), eq(jobs.status, 'queued')));
    await app.db.delete(jobs).where(eq(jobs.type, INACTIVITY_JOB));
    await saveInactivitySettings(app.db, minutes(5, 5));
    // Just past a minute, so the next five-second slot is well before the next minute.
    const now = Math.floor(Date.now() / MINUTE) * MINUTE + 1000;
    await scheduleInactivitySweep(app.db, now);
    const [fast] = await queued();
    expect(fast!.runAt.getTime()).toBe(now - 1000 + 5000);

    // Back to minutes: the fast chain's next pass and the minute chain share the minute's job.
    await saveInactivitySettings(app.db, POLICY);
    const minute = await scheduleInactivitySweep(app.db, now);
    await app.db.delete(jobs).where(eq(jobs.id, fast!.id));
    expect(await scheduleInactivitySweep(app.db, fast!.runAt.getTime())).toBe(minute);
    expect(await queued()).toHaveLength(1);
  });
});
