import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '@/db/client';
import { customers, tickets } from '@/db/schema';
import { createApiKey } from '@/lib/api-keys/keys';
import { parseConfig } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { resolve, sendAgentReply, takeOver } from '@/lib/conversations/handoff';
import { addNote } from '@/lib/conversations/notes';
import { findCustomer, upsertCustomerByExternalId } from '@/lib/customers/queries';
import { recordAnswerFeedback, recordCsat } from '@/lib/feedback/feedback';
import { hashRequest, onceFor } from '@/lib/idempotency/idempotent-requests';
import { startJobWorker } from '@/lib/jobs/worker';
import { log } from '@/lib/log';
import { audit } from '@/lib/privacy/audit';
import { eraseCustomer, exportCustomerData } from '@/lib/privacy/customer-data';
import { startApp, stopApp } from '@/lib/server/app';
import { createJobHandlers } from '@/lib/server/job-handlers';
import { createStaff } from '@/lib/staff/queries';
import { replyToTicket } from '@/lib/tickets/reply-to-ticket';
import { ASYNC_MESSAGE_JOB, getApiTask, queueApiMessage } from '@/lib/turn/async-api-message';
import { createWebhookEndpoint } from '@/lib/webhooks/endpoints';
import { askTurn } from '@/tests/harness/customer-turn';
import { startTestApp } from '../harness/app';
import { createTestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

const DISTINCT = 'ZEBRA-PINEAPPLE-4711';
const EMAIL = 'zora.quill@example.com';
const RECEIPT = `Order receipt ${DISTINCT}\n\nOne blender, paid by card on 12 November. Delivered to the front desk of the office building.`;

async function say(
  app: AppContext,
  customerId: string,
  text: string,
  conversationId?: string,
  extra = {},
) {
  const customer = (await findCustomer(app.database.db, customerId))!;
  const result = await askTurn(app, { customer, conversationId, text, ...extra });
  const reader = result.stream.getReader();
  let answerId = '';
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (next.value.type === 'start') answerId = next.value.messageId ?? '';
  }
  return { conversationId: result.conversationId, answerId };
}

/** Every line logged while `work` runs, as the JSON it would be written as. */
async function logLinesDuring(work: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) =>
    vi.spyOn(log, level).mockImplementation(((...args: unknown[]) => {
      lines.push(
        JSON.stringify(args, (_key, value) => (value instanceof Error ? value.message : value)),
      );
    }) as never),
  );
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

/** Runs the queued API message task as the job worker does, and returns its result. */
async function runTask(app: AppContext, keyId: string, taskId: string) {
  const worker = await startJobWorker({
    db: app.database.db,
    handlers: { [ASYNC_MESSAGE_JOB]: createJobHandlers(app)[ASYNC_MESSAGE_JOB] },
    pollMs: 20,
    concurrency: 1,
    leaseMs: 60_000,
    retryBaseMs: 1000,
  });
  try {
    for (;;) {
      const task = await getApiTask(app.database.db, { id: taskId, keyId });
      if (task.status === 'completed') return task.result!;
      if (task.status === 'failed') throw new Error(`the task failed: ${task.error?.message}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await worker.stop();
  }
}

/** Rows in every table of the schema whose text mentions any of `needles`. */
async function rowsMentioning(app: AppContext, needles: string[]) {
  const tables = rowsOf<{ table_name: string }>(
    await app.database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    ),
  ).map((t) => t.table_name);
  const found: Record<string, number> = {};
  for (const table of tables) {
    const conditions = sql.join(
      needles.map((n) => sql`t::text ilike ${`%${n}%`}`),
      sql` or `,
    );
    const [row] = rowsOf<{ n: number }>(
      await app.database.db.execute(
        sql`select count(*)::int as n from ${sql.identifier(table)} t where ${conditions}`,
      ),
    );
    if (Number(row!.n) > 0) found[table] = Number(row!.n);
  }
  return { tables, found };
}

function erasureSuite(
  name: string,
  open: () => Promise<{ app: AppContext; stop: () => Promise<void> }>,
) {
  describe(`erasure (${name})`, () => {
    let app: AppContext;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ app, stop } = await open());
    });
    afterAll(() => stop?.());

    it('leaves no row anywhere that refers to the customer or holds their words, and says what it removed', async () => {
      const { db } = app.database;
      const agent = await createStaff(db, {
        email: `erase-agent-${name}@x.test`,
        name: 'Eli',
        role: 'agent',
        password: 'password-1',
      });
      const { key, apiKey } = await createApiKey(db, { name: 'crm', scopes: ['admin'] });
      expect(key).toBeTruthy();
      await createWebhookEndpoint(db, {
        url: 'http://127.0.0.1:9/hooks',
        events: [
          'message.created',
          'conversation.escalated',
          'ticket.created',
          'conversation.resolved',
          'csat.received',
        ],
        allowPrivateNetworks: true,
      });
      const customer = await upsertCustomerByExternalId(db, {
        externalId: `shop-${DISTINCT}`,
        name: 'Zora Quill',
        context: { plan: 'Plus' },
      });

      // Everything a customer leaves behind: messages, an attachment, memory, an unanswered
      // question, an escalation with a ticket, an agent's reply and note, a rating, feedback,
      // an async API task, an idempotency record, audit entries and webhook deliveries.
      const first = await say(
        app,
        customer.id,
        `My name is Zora, email ${EMAIL}. How do I reset my password? ${DISTINCT}`,
        undefined,
        {
          attachments: [
            {
              filename: 'receipt.txt',
              mediaType: 'text/plain',
              bytes: new TextEncoder().encode(RECEIPT),
            },
          ],
        },
      );
      await recordAnswerFeedback(db, {
        customerId: customer.id,
        messageId: first.answerId,
        helpful: false,
      });
      await say(
        app,
        customer.id,
        `What is the airspeed of a swallow ${DISTINCT}?`,
        first.conversationId,
      );
      await say(app, customer.id, 'I want to talk to a person', first.conversationId);
      await takeOver(app, agent, first.conversationId);
      await sendAgentReply(app, agent, first.conversationId, `Hello Zora, about ${DISTINCT}`);
      await addNote(db, {
        conversationId: first.conversationId,
        author: agent,
        content: `VIP ${DISTINCT}`,
      });
      // An agent answers the ticket the escalation opened: the console route audits it by the
      // ticket's id.
      const [ticket] = await db.select().from(tickets).where(eq(tickets.customerId, customer.id));
      await replyToTicket(app, { ticketId: ticket!.id, agent, body: `Re ${DISTINCT}` });
      await audit(
        db,
        { type: 'staff', id: agent.id, name: 'Eli' },
        'POST /api/console/tickets/[id]/reply',
        { type: 'resource', id: ticket!.id },
      );
      await resolve(app, agent, first.conversationId, `Closed ${DISTINCT}`);
      await recordCsat(db, {
        customerId: customer.id,
        conversationId: first.conversationId,
        rating: 5,
        comment: `Great ${DISTINCT}`,
      });
      const { task_id: taskId } = await queueApiMessage(db, {
        keyId: apiKey.id,
        message: { customer_id: `shop-${DISTINCT}`, message: `Async ${DISTINCT}` },
      });
      let taskConversationId = '';
      const jobLogLines = await logLinesDuring(async () => {
        taskConversationId = (await runTask(app, apiKey.id, taskId)).conversation_id;
      });
      expect(jobLogLines.some((line) => line.includes('job completed'))).toBe(true);
      // A second task stays queued, so a copy of their data sits in the jobs table.
      await queueApiMessage(db, {
        keyId: apiKey.id,
        message: { customer_id: `shop-${DISTINCT}`, message: `Later ${DISTINCT}` },
      });
      await onceFor(
        db,
        { keyId: apiKey.id, idempotencyKey: 'k1', requestHash: hashRequest({}) },
        async () => ({
          status: 200,
          body: { conversation_id: first.conversationId },
        }),
      );
      await audit(db, { type: 'staff', id: agent.id, name: 'Eli' }, 'customer.viewed', {
        type: 'customer',
        id: customer.id,
      });
      await audit(db, { type: 'staff', id: agent.id, name: 'Eli' }, 'conversation.viewed', {
        type: 'conversation',
        id: first.conversationId,
      });

      const needles = [
        customer.id,
        first.conversationId,
        taskConversationId,
        ticket!.id,
        first.answerId,
        DISTINCT,
        EMAIL,
        'Zora Quill',
      ];
      const before = await rowsMentioning(app, needles);
      for (const table of [
        'customers',
        'conversations',
        'messages',
        'attachments',
        'conversation_notes',
        'tickets',
        'csat_ratings',
        'knowledge_gaps',
        'jobs',
        'webhook_deliveries',
        'api_idempotency',
        'audit_log',
      ]) {
        expect(before.found[table], `${table} before erasure`).toBeGreaterThan(0);
      }
      const exported = await exportCustomerData(app, customer.id, { type: 'system', name: 'test' });
      expect(JSON.stringify(exported)).toContain(DISTINCT);
      expect(exported.attachments[0]!.data_base64).toBe(Buffer.from(RECEIPT).toString('base64'));

      const receipt = await eraseCustomer(app, customer.id, {
        type: 'staff',
        id: agent.id,
        name: 'Eli',
      });
      expect(receipt.repeated).toBe(false);
      expect(receipt.counts).toMatchObject({
        // The widget conversation and the one the API task opened.
        conversations: 2,
        attachments: 1,
        agent_notes: 1,
        tickets: 1,
        csat_ratings: 1,
      });
      expect(receipt.counts.messages).toBeGreaterThan(5);
      expect(receipt.counts.jobs).toBeGreaterThan(0);
      expect(receipt.counts.webhook_deliveries).toBeGreaterThan(0);

      const after = await rowsMentioning(app, needles);
      expect(after.tables.length).toBeGreaterThan(20);
      expect(after.found).toEqual({});
      // Nor a log line: the task's own lines name the task, which is not its conversation.
      expect(jobLogLines.filter((line) => needles.some((n) => line.includes(n)))).toEqual([]);
      const audited = rowsOf<{ action: string; subject_id: string }>(
        await db.execute(
          sql`select action, subject_id from audit_log where action like 'POST /api/console/tickets/%'`,
        ),
      );
      expect(audited).toEqual([
        { action: 'POST /api/console/tickets/[id]/reply', subject_id: receipt.subject },
      ]);
      expect(await db.select().from(customers).where(eq(customers.id, customer.id))).toEqual([]);

      // Audited (under a pseudonym), and idempotent: asking again returns the same receipt.
      const again = await eraseCustomer(app, customer.id, {
        type: 'staff',
        id: agent.id,
        name: 'Eli',
      });
      expect(again).toEqual({ ...receipt, repeated: true });
      const erasures = rowsOf<{ n: number }>(
        await db.execute(
          sql`select count(*)::int as n from audit_log where action = 'customer.erased'`,
        ),
      );
      expect(Number(erasures[0]!.n)).toBe(1);
    });
  });
}

erasureSuite('PGlite', () => startTestApp({ TANDEM_JOBS_WORKER: 'false' }));

describe.runIf(testEnv.databaseUrl)('on PostgreSQL', () => {
  erasureSuite('PostgreSQL', async () => {
    const database = await createTestDatabase(testEnv.databaseUrl!);
    const app = await startApp(
      parseConfig({
        DATABASE_URL: database.url,
        TANDEM_DEMO: 'true',
        LOG_LEVEL: 'silent',
        TANDEM_JOBS_WORKER: 'false',
        TANDEM_CONSENT_REQUIRED: 'false',
      }),
    );
    return {
      app,
      stop: async () => {
        await stopApp(app);
        await database.drop();
      },
    };
  });
});
