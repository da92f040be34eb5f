import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConsoleConversation } from '@/app/api/console/_lib/conversation-detail';
import { recordAiMessage, recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

let database: TestDatabaseContext;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

describe('tool activity in the console', () => {
  it('shows each call by the label the tool registry gives it', async () => {
    const { db } = database;
    const customer = await createAnonymousCustomer(db);
    const { conversation } = await recordCustomerMessage(db, {
      customerId: customer.id,
      content: 'Please open a ticket about my kettle leaking, and what plan am I on?',
    });
    await recordAiMessage(db, {
      id: randomUUID(),
      conversationId: conversation.id,
      content: "I've opened ticket **TKT-1001**.",
      parts: [],
      metadata: {
        tools: [
          { tool: 'create_ticket', input: {}, output: { ticket: 'TKT-1001' } },
          { tool: 'lookup_account', input: {}, output: { plan: 'Plus' } },
          // Stored before a tool was retired: still shown, by the name it was called under.
          { tool: 'check_stock', input: {}, output: {} },
        ],
      },
    });

    const { messages } = await getConsoleConversation(db, conversation.id);
    expect(messages.map((m) => [m.role, m.tools])).toEqual([
      ['customer', undefined],
      ['ai', ['Opened a ticket', 'Looked up the account', 'check_stock']],
    ]);
  });
});
