import { existsSync } from 'node:fs';
import { count, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '@/db/schema';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { importCases, listCases } from '@/lib/desk-tests/cases';
import { readDeskVersion } from '@/lib/desk-tests/desk-version';
import { parseCasesJsonl } from '@/lib/desk-tests/jsonl';
import type { SuiteProgress } from '@/lib/desk-tests/run-suite';
import { diffRuns, getRun } from '@/lib/desk-tests/runs';
import { closeMailers } from '@/lib/email/mailer';
import { listenToConversationEvents } from '@/lib/events/conversation-events';
import { parseArticle } from '@/lib/kb/article';
import { startApp, stopApp } from '@/lib/server/app';
import { runDeskTests, startRun } from '@/lib/server/desk-tests';
import { openSandbox } from '@/lib/server/sandbox';
import { createWebhookEndpoint } from '@/lib/webhooks/endpoints';
import { WEBHOOK_EVENTS } from '@/lib/webhooks/events';
import { startTestApp } from '../harness/app';
import { createTestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const mails: string[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      mails.push('mail');
      callback();
    });
  },
});

let live: AppContext;
let stop: () => Promise<void>;

/** Something only this desk has, so a case can tell its content was copied, not the demo's. */
const GIFT_WRAPPING = `---
title: Gift wrapping
slug: gift-wrapping
category: orders-shipping
summary: How to have an order gift wrapped, and what it costs.
---

Parcelly gift wraps any order on request. Gift wrapping costs S$3 per parcel and comes with a handwritten card. Tick "Gift wrap" at checkout to add it.
`;

const SUITE = [
  {
    id: 'gift-wrap',
    turns: ['Do you offer gift wrapping? How much does gift wrapping cost?'],
    expect: { kind: 'answer', article: 'gift-wrapping', facts: ['S\\$3'] },
  },
  {
    id: 'wants-a-person',
    turns: ['I want to talk to a real person please'],
    expect: { kind: 'escalate', reason: 'customer_request' },
  },
  {
    id: 'alice-plan',
    customer: 'demo-alice',
    turns: ['What plan am I on?'],
    expect: { kind: 'tool', tool: { name: 'lookup_account' }, facts: ['Platinum'] },
  },
  {
    id: 'weather',
    turns: ['What will the weather be like in Paris tomorrow?'],
    expect: { kind: 'abstain' },
  },
]
  .map((c) => JSON.stringify(c))
  .join('\n');

/** Rows of every table a customer's conversation, the team or the outside world could see. */
const WATCHED = {
  conversations: schema.conversations,
  messages: schema.messages,
  customers: schema.customers,
  customerAccounts: schema.customerAccounts,
  tickets: schema.tickets,
  knowledgeGaps: schema.knowledgeGaps,
  messageCitations: schema.messageCitations,
  messageFeedback: schema.messageFeedback,
  csatRatings: schema.csatRatings,
  attachments: schema.attachments,
  conversationNotes: schema.conversationNotes,
  auditLog: schema.auditLog,
  jobs: schema.jobs,
  webhookDeliveries: schema.webhookDeliveries,
  kbDocuments: schema.kbDocuments,
  kbChunks: schema.kbChunks,
  appSettings: schema.appSettings,
  classifierExamples: schema.classifierExamples,
};

async function countRows(app: AppContext) {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(WATCHED)) {
    const [row] = await app.database.db.select({ n: count() }).from(table);
    counts[name] = row!.n;
  }
  return counts;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  const started = await startTestApp({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    TANDEM_EMAIL_FROM: 'Desk <desk@example.com>',
    TANDEM_TEAM_EMAIL: 'team@example.com',
    // Nothing moves in the live tables while the test counts them.
    TANDEM_JOBS_WORKER: 'false',
  });
  live = started.app;
  stop = started.stop;
  const { db } = live.database;
  await live.kb.indexArticle(parseArticle(GIFT_WRAPPING, 'gift-wrapping.md'));
  const [alice] = await db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(eq(schema.customers.externalId, 'demo-alice'));
  await db
    .update(schema.customerAccounts)
    .set({ plan: 'Platinum' })
    .where(eq(schema.customerAccounts.customerId, alice!.id));
  await createWebhookEndpoint(db, {
    url: 'http://127.0.0.1:9/tandem',
    events: [...WEBHOOK_EVENTS],
    allowPrivateNetworks: true,
  });
  await importCases(db, SUITE, { replace: true });
}, 240_000);

afterAll(async () => {
  await stop?.();
  closeMailers();
  await new Promise<void>((resolve) => smtp.close(resolve));
});

describe('a run of the desk tests', () => {
  it('runs on a copy of this desk and leaves no trace in it: no conversation, ticket, job, webhook, event or mail', async () => {
    const before = await countRows(live);
    const events: unknown[] = [];
    const unlisten = await listenToConversationEvents(live, (event) => events.push(event));
    const progress: SuiteProgress[] = [];

    const { run, finished } = await startRun(live, {
      startedBy: { name: 'Ada Admin' },
      onProgress: (p) => progress.push(p),
    });
    expect(run).toMatchObject({ status: 'running', total: 4, done: 0, k: 1 });
    await expect(startRun(live, { startedBy: { name: 'Bob' } })).rejects.toMatchObject({
      code: 'conflict:desk_test_run',
    });
    const done = await finished;
    unlisten();

    expect(done.status).toBe('completed');
    expect(done.results.map((r) => [r.case.id, r.status, r.attempts[0]!.failures])).toEqual([
      ['gift-wrap', 'pass', []],
      ['wants-a-person', 'pass', []],
      ['alice-plan', 'pass', []],
      ['weather', 'pass', []],
    ]);
    expect(done.summary).toEqual(done.score);
    expect(done.summary).toMatchObject({ n: 4, passed: 4, passK: 1, pass1: 1, flaky: 0 });
    expect(done.results[1]!.attempts[0]!.escalation).toBe('customer_request');
    expect(done.results[2]!.attempts[0]!.tools.map((t) => t.tool)).toEqual(['lookup_account']);
    expect(done).toMatchObject({
      startedBy: 'Ada Admin',
      model: 'tandem:offline-extractive',
      done: 4,
      desk: await readDeskVersion(live.database.db, 'copy'),
    });
    expect(progress.at(-1)).toEqual({ done: 4, total: 4 });

    // The escalation would have opened a ticket, queued webhook deliveries and mailed the team.
    expect(await countRows(live)).toEqual(before);
    expect(events).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mails).toEqual([]);

    expect((await listCases(live.database.db)).map((c) => c.lastResult?.runId)).toEqual(
      Array(4).fill(run.id),
    );
    expect((await diffRuns(live.database.db, run.id)).changes.map((c) => c.change)).toEqual(
      Array(4).fill('added'),
    );
    expect((await getRun(live.database.db, run.id)).finishedAt).not.toBeNull();
  }, 300_000);

  it('gets a folder of its own, deleted afterwards, and a fresh copy of a site user each time', async () => {
    const sandbox = await openSandbox({ copyOf: live }, { siteUsers: ['demo-alice'] });
    const folder = (sandbox.app.config.database as { dataDir: string }).dataDir;
    try {
      expect(existsSync(folder)).toBe(true);
      expect(sandbox.app.config).toMatchObject({ email: null, jobs: { worker: false } });
      expect(sandbox.app.model).toBe(live.model);
      const first = await sandbox.createCustomer('demo-alice');
      const second = await sandbox.createCustomer('demo-alice');
      expect(first.id).not.toBe(second.id);
      expect([first.name, second.name]).toEqual(['Alice Tan', 'Alice Tan']);
      expect(first.consent).toBe('granted');
      const accounts = await sandbox.app.database.db
        .select({ plan: schema.customerAccounts.plan })
        .from(schema.customerAccounts);
      expect(accounts.map((a) => a.plan)).toEqual(['Platinum', 'Platinum', 'Platinum']);
      await expect(sandbox.createCustomer('demo-ben')).rejects.toThrow(/no site user "demo-ben"/);
    } finally {
      await sandbox.close();
    }
    expect(existsSync(folder)).toBe(false);
  }, 240_000);
});

describe.runIf(testEnv.databaseUrl)('a run of the desk tests on PostgreSQL', () => {
  it('copies the desk in one read-only snapshot and runs its cases', async () => {
    const database = await createTestDatabase(testEnv.databaseUrl!);
    const desk = await startApp(
      parseConfig({
        DATABASE_URL: database.url,
        TANDEM_DEMO: 'true',
        LOG_LEVEL: 'silent',
        TANDEM_JOBS_WORKER: 'false',
        TANDEM_CONSENT_REQUIRED: 'false',
      }),
    );
    try {
      const before = await countRows(desk);
      const run = await runDeskTests(
        { copyOf: desk },
        parseCasesJsonl(SUITE).filter((c) => c.id === 'alice-plan' || c.id === 'wants-a-person'),
      );
      expect(run.content).toEqual(await readDeskVersion(desk.database.db, 'copy'));
      expect(run.results.map((r) => [r.case.id, r.passes])).toEqual([
        ['wants-a-person', 1],
        // This desk's Alice is on Plus, as seeded: the case expects the other desk's Platinum.
        ['alice-plan', 0],
      ]);
      expect(run.results[1]!.attempts[0]!.reply).toContain('**Plus**');
      expect(await countRows(desk)).toEqual(before);
    } finally {
      await stopApp(desk);
      await database.drop();
    }
  }, 300_000);
});
