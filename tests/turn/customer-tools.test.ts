import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerAccounts, tickets } from '@/db/schema';
import { createCustomerTools, type ToolContext } from '@/lib/ai/tools';
import { recordCustomerMessage } from '@/lib/conversations/queries';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { createTicket, formatTicketNumber } from '@/lib/tickets/queries';
import { openTestDatabase, type TestDatabaseContext } from '../harness/database';

// Tools read only the database (and a knowledge base, stubbed here): no whole app is needed.
let app: TestDatabaseContext;

beforeAll(async () => {
  app = await openTestDatabase();
});
afterAll(() => app.close());

async function toolsFor(customerId: string, { verified = true } = {}) {
  const escalations: string[] = [];
  const ctx: ToolContext = {
    db: app.database.db,
    kb: { retrieve: async () => ({ passages: [], confidence: 0 }) } as unknown as ToolContext['kb'],
    customerId,
    conversationId: (await recordCustomerMessage(app.database.db, { customerId, content: 'Hello' }))
      .conversation.id,
    verified,
    priority: 'medium',
    escalate: async (reason) => {
      escalations.push(reason);
      return { explanation: 'A person will join shortly.' };
    },
  };
  return { tools: createCustomerTools(ctx), escalations };
}

// Calls a tool the way the AI SDK does: input validated by its schema, then executed.
async function call(tool: { inputSchema: unknown; execute?: unknown }, input: unknown) {
  const schema = tool.inputSchema as { parse(v: unknown): unknown };
  const execute = tool.execute as (input: unknown, options: unknown) => Promise<unknown>;
  return execute(schema.parse(input), { toolCallId: 't1', messages: [] });
}

describe('customer tools enforce who may touch what', () => {
  it("cannot read or change another customer's ticket, whatever number the model asks for", async () => {
    const alice = await createAnonymousCustomer(app.database.db);
    const bob = await createAnonymousCustomer(app.database.db);
    const bobs = await createTicket(app.database.db, {
      customerId: bob.id,
      subject: 'Refund for order 1234',
      description: 'Card charged twice',
    });
    const { tools } = await toolsFor(alice.id);

    expect(
      await call(tools.get_ticket_status, { ticket: formatTicketNumber(bobs.number) }),
    ).toEqual({
      error: `No ticket ${formatTicketNumber(bobs.number)} was found for you.`,
    });
    expect(
      await call(tools.update_ticket, {
        ticket: formatTicketNumber(bobs.number),
        details: 'Please send the refund to my card instead',
      }),
    ).toEqual({ error: `No ticket ${formatTicketNumber(bobs.number)} was found for you.` });
    const [unchanged] = await app.database.db.select().from(tickets).where(eq(tickets.id, bobs.id));
    expect(unchanged!.description).toBe('Card charged twice');
    expect(await call(tools.list_my_tickets, {})).toEqual({ tickets: [] });
  });

  it('creates, reads, updates and lists only the caller’s own tickets', async () => {
    const carol = await createAnonymousCustomer(app.database.db);
    const { tools } = await toolsFor(carol.id);
    const created = (await call(tools.create_ticket, {
      subject: 'Blender arrived broken',
      description: 'The jug is cracked.',
    })) as { ticket: string; status: string };
    expect(created).toMatchObject({
      subject: 'Blender arrived broken',
      status: 'open',
      priority: 'medium',
    });
    expect(created.ticket).toMatch(/^TKT-\d{4,}$/);

    expect(await call(tools.get_ticket_status, { ticket: created.ticket })).toMatchObject({
      ticket: created.ticket,
      status: 'open',
    });
    await call(tools.update_ticket, { ticket: created.ticket, details: 'Photo sent by email.' });
    const [row] = await app.database.db
      .select()
      .from(tickets)
      .where(eq(tickets.customerId, carol.id));
    expect(row!.description).toMatch(
      /^The jug is cracked\.\n\n\[.+ UTC, from the customer\] Photo sent by email\.$/,
    );
    expect(
      ((await call(tools.list_my_tickets, {})) as { tickets: unknown[] }).tickets,
    ).toHaveLength(1);
  });

  it('rejects a malformed ticket number before anything runs', async () => {
    const dave = await createAnonymousCustomer(app.database.db);
    const { tools } = await toolsFor(dave.id);
    await expect(call(tools.get_ticket_status, { ticket: 'DROP TABLE tickets' })).rejects.toThrow(
      /must be a ticket number such as TKT-1001/,
    );
  });

  it('looks up only the caller’s own account', async () => {
    const erin = await createAnonymousCustomer(app.database.db);
    const frank = await createAnonymousCustomer(app.database.db);
    await app.database.db.insert(customerAccounts).values({
      customerId: frank.id,
      plan: 'Pro',
      status: 'active',
      renewalDate: '2026-12-01',
      lastInvoice: {
        number: 'INV-2041',
        amount: 29,
        currency: 'SGD',
        issuedOn: '2026-11-01',
        status: 'paid',
      },
    });
    expect(await call((await toolsFor(erin.id)).tools.lookup_account, {})).toEqual({
      error:
        'No shop account is linked to this chat. Sign in on the website first, then ask again.',
    });
    expect(await call((await toolsFor(frank.id)).tools.lookup_account, {})).toEqual({
      plan: 'Pro',
      status: 'active',
      renewalDate: '2026-12-01',
      lastInvoice: {
        number: 'INV-2041',
        amount: 29,
        currency: 'SGD',
        issuedOn: '2026-11-01',
        status: 'paid',
      },
    });
  });

  it('reads an account only for a customer the site verified, without looking it up otherwise', async () => {
    const hana = await createAnonymousCustomer(app.database.db);
    await app.database.db.insert(customerAccounts).values({
      customerId: hana.id,
      plan: 'Pro',
      status: 'active',
    });
    const { tools } = await toolsFor(hana.id, { verified: false });
    expect(await call(tools.lookup_account, {})).toEqual({
      error:
        'No shop account is linked to this chat. Sign in on the website first, then ask again.',
    });
    expect(await call((await toolsFor(hana.id)).tools.lookup_account, {})).toMatchObject({
      plan: 'Pro',
    });
  });

  it('escalates through the pipeline’s own hand-off', async () => {
    const gina = await createAnonymousCustomer(app.database.db);
    const { tools, escalations } = await toolsFor(gina.id);
    expect(
      await call(tools.escalate_to_human, { reason: 'Customer wants a refund exception' }),
    ).toEqual({
      escalated: true,
      explanation: 'A person will join shortly.',
    });
    expect(escalations).toEqual(['Customer wants a refund exception']);
  });
});
