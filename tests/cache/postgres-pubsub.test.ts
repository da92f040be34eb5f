import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '@/lib/cache/memory-cache';
import { withPostgresPubSub } from '@/lib/cache/postgres-pubsub';
import { parseConfig } from '@/lib/config';
import { takeOver } from '@/lib/conversations/handoff';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { listenToConversationEvents, type PublishedEvent } from '@/lib/events/conversation-events';
import { startApp, stopApp } from '@/lib/server/app';
import { createStaff } from '@/lib/staff/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { createTestDatabase, type TestDatabase } from '../harness/postgres';
import { testEnv } from '../harness/test-env';

describe.runIf(testEnv.databaseUrl)('pub/sub through PostgreSQL LISTEN/NOTIFY (no Redis)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(testEnv.databaseUrl!);
  });
  afterAll(() => database?.drop());

  const open = (prefix = 'pubsub-test:') =>
    withPostgresPubSub(createMemoryCache({ prefix }), database.url, prefix);

  it('delivers messages across connections in order, large and multi-byte ones whole', async () => {
    const [a, b] = [open(), open()];
    try {
      const received: string[] = [];
      const unsubscribe = await b.subscribe('events', (m) => received.push(m));
      const large = `${'漢字とemoji 🙂 '.repeat(2000)}end`;
      await a.publish('events', 'first');
      await a.publish('events', large);
      await a.publish('events', 'third');
      await expect.poll(() => received.length).toBe(3);
      expect(received[0]).toBe('first');
      expect(received[1]).toBe(large);
      expect(received[2]).toBe('third');

      await unsubscribe();
      await a.publish('events', 'after');
      await new Promise((r) => setTimeout(r, 200));
      expect(received).toHaveLength(3);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('delivers messages published without waiting in the order they were published', async () => {
    const [a, b] = [open(), open()];
    try {
      const received: string[] = [];
      await b.subscribe('events', (m) => received.push(m));
      const sent = Array.from({ length: 30 }, (_, i) => `m${i}`);
      await Promise.all(sent.map((m) => a.publish('events', m)));
      await expect.poll(() => received.length).toBe(30);
      expect(received).toEqual(sent);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps prefixes apart', async () => {
    const [a, b] = [open('one:'), open('two:')];
    try {
      const received: string[] = [];
      await b.subscribe('events', (m) => received.push(m));
      await a.publish('events', 'not for two');
      await b.publish('events', 'for two');
      await expect.poll(() => received).toEqual(['for two']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('lets two app instances on one PostgreSQL server, without Redis, see each other live', async () => {
    const config = parseConfig({
      DATABASE_URL: database.url,
      TANDEM_DEMO: 'true',
      LOG_LEVEL: 'silent',
      TANDEM_CONSENT_REQUIRED: 'false',
    });
    const customerSide = await startApp(config);
    const agentSide = await startApp(config);
    try {
      const seen: PublishedEvent[] = [];
      const stop = await listenToConversationEvents(customerSide, (e) => seen.push(e));
      const customer = await createAnonymousCustomer(agentSide.database.db);
      const asked = await askTurn(customerSide, {
        customer,
        text: 'I want to talk to a person',
      });
      const reader = asked.stream.getReader();
      while (!(await reader.read()).done) {}
      const agent = await createStaff(agentSide.database.db, {
        email: 'pubsub-agent@example.com',
        name: 'Noor',
        role: 'agent',
        password: 'a good password',
      });
      await takeOver(agentSide, agent, asked.conversationId);
      await expect
        .poll(() =>
          seen.some(
            (e) =>
              e.conversationId === asked.conversationId &&
              e.type === 'message.created' &&
              e.message.content === 'Noor joined the conversation',
          ),
        )
        .toBe(true);
      stop();
    } finally {
      await stopApp(customerSide);
      await stopApp(agentSide);
    }
  });
});
