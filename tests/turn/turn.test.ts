import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachments,
  conversations,
  customers,
  knowledgeGaps,
  messages,
  tickets,
  users,
} from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer, findCustomer } from '@/lib/customers/queries';
import { PRESENCE_TTL_SECONDS, setAvailability } from '@/lib/staff/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { startTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startTestApp({ TANDEM_SUMMARY_EVERY: '6' }));
});
afterAll(() => stop());

type Chunk = { type: string; [key: string]: unknown };

/** Sends one message as a request would: the customer read afresh, then the whole answer read. */
async function say(customerId: string, text: string, conversationId?: string, extra = {}) {
  const customer = (await findCustomer(app.database.db, customerId))!;
  const result = await askTurn(app, { customer, conversationId, text, ...extra });
  const chunks: Chunk[] = [];
  const reader = result.stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read())
    chunks.push(next.value);
  const answer = chunks
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta)
    .join('');
  const finish = chunks.find((c) => c.type === 'finish') as unknown as {
    messageMetadata: Record<string, unknown>;
  };
  return { ...result, answer, metadata: finish.messageMetadata };
}

async function conversationRow(id: string) {
  const [row] = await app.database.db.select().from(conversations).where(eq(conversations.id, id));
  return row!;
}

describe('a customer turn (offline model)', () => {
  it('classifies the message and stores the reading on the message and the conversation', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const { conversationId, classification } = await say(
      customer.id,
      'I was charged twice for my Plus plan this month',
    );
    expect(classification).toMatchObject({ category: 'billing', language: 'en' });
    const row = await conversationRow(conversationId);
    expect(row).toMatchObject({
      category: 'billing',
      language: 'en',
      priority: classification.priority,
    });
    const [stored] = await app.database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId));
    expect(stored!.metadata.classification).toEqual(classification);
  });

  it('remembers the customer across conversations', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    await say(customer.id, 'Hi, my name is Alice');
    const [profile] = await app.database.db
      .select()
      .from(customers)
      .where(eq(customers.id, customer.id));
    expect(profile!.profile).toMatchObject({ name: 'Alice' });

    const tomorrow = await say(customer.id, "What's my name?");
    expect(tomorrow.answer).toBe('Your name is Alice.');
  });

  it('answers with what the message itself told about the customer, stored once the turn ends', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const { answer } = await say(customer.id, "My name is Dana. What's my name?");
    expect(answer).toBe('Your name is Dana.');
    const [row] = await app.database.db
      .select()
      .from(customers)
      .where(eq(customers.id, customer.id));
    expect(row!.profile).toMatchObject({ name: 'Dana' });
    expect(row!.name).toBe('Dana');
  });

  it('answers a greeting or thanks in kind, without searching, and without counting it as unsure', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const hello = await say(customer.id, 'hello');
    expect(hello.answer).toBe("Hi! I'm the Parcelly assistant. What can I help you with today?");
    expect(hello.metadata).toMatchObject({ abstained: false });
    const unsure = await say(customer.id, 'What is the meaning of life?', hello.conversationId);
    expect(unsure.metadata.abstained).toBe(true);
    // One unsure answer after a greeting is not "unsure twice in a row".
    expect(unsure.metadata.escalated).toBeFalsy();
    const thanks = await say(customer.id, 'ok thanks, that helped!', hello.conversationId);
    expect(thanks.answer).toBe("You're welcome! Is there anything else I can help with?");

    const stored = await app.database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, hello.conversationId));
    expect(stored.filter((m) => m.metadata.smallTalk).map((m) => m.content)).toEqual([
      hello.answer,
      thanks.answer,
    ]);
    const gaps = await app.database.db
      .select()
      .from(knowledgeGaps)
      .where(eq(knowledgeGaps.conversationId, hello.conversationId));
    expect(gaps.map((g) => g.question)).toEqual(['What is the meaning of life?']);
  });

  it('does not hand over on an unsure guess that the customer wants a person', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const asked = await say(customer.id, 'I want to return a teapot');
    expect(asked.classification.intent).not.toBe('asks_for_human');
    expect(asked.metadata.escalated).toBeFalsy();
    expect(asked.answer).not.toMatch(/bringing in a member of our team/);
  });

  it('hears a request for a person inside a complaint, and says that is why it hands over', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const asked = await say(
      customer.id,
      'this is ridiculous, third time asking, still not working!!! I want a human',
    );
    expect(asked.classification).toMatchObject({ intent: 'asks_for_human', requiresHuman: true });
    expect(asked.answer).toMatch(/^You asked to speak with a person/);
    expect(await conversationRow(asked.conversationId)).toMatchObject({
      escalationReason: 'customer_request',
    });
  });

  it('hands over to a person when asked, says why and what happens next, then stays silent', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const asked = await say(customer.id, 'I want to talk to a real person please');
    expect(asked.classification.intent).toBe('asks_for_human');
    // No agent is online: the customer is told to expect an email, and asked for an address.
    expect(asked.answer).toMatch(
      /^You asked to speak with a person, so I'm bringing in a member of our team\. No one from our support team is online right now, so I've opened ticket \*\*TKT-\d+\*\*.*please write your email address here/,
    );
    expect(asked.metadata.escalated).toBe(true);
    const row = await conversationRow(asked.conversationId);
    expect(row).toMatchObject({
      status: 'waiting',
      owner: 'none',
      escalationReason: 'customer_request',
    });
    expect(row.escalatedAt).toBeInstanceOf(Date);
    const opened = await app.database.db
      .select()
      .from(tickets)
      .where(eq(tickets.conversationId, asked.conversationId));
    expect(opened).toHaveLength(1);
    const system = await app.database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, asked.conversationId));
    expect(system.filter((m) => m.role === 'system').map((m) => m.content)).toEqual([
      expect.stringMatching(
        /^Escalated to the support team \(customer asked for a person\); ticket TKT-\d+\.$/,
      ),
    ]);

    // While a person is on the way (or has the conversation) the AI says nothing at all.
    const later = await say(customer.id, 'How do I reset my password?', asked.conversationId);
    expect(later.answer).toBe('');
    expect(later.metadata).toMatchObject({ held: true });
    const after = await app.database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, asked.conversationId));
    expect(after.map((m) => m.role)).toEqual(['customer', 'system', 'ai', 'customer']);
  });

  it('promises a person shortly only while an agent is online with a console open', async () => {
    const [agent] = await app.database.db.select().from(users).where(eq(users.role, 'agent'));
    await setAvailability(app.database.db, agent!.id, 'online');
    try {
      const customer = await createAnonymousCustomer(app.database.db);
      await say(customer.id, 'My email is sam@example.com');
      const asked = await say(customer.id, 'Can I talk to a human?');
      expect(asked.answer).toMatch(/A person will join this chat shortly/);

      // Online but no console seen for longer than the presence window: not really there.
      await app.database.db
        .update(users)
        .set({ lastSeenAt: new Date(Date.now() - (PRESENCE_TTL_SECONDS + 5) * 1000) })
        .where(eq(users.id, agent!.id));
      const other = await createAnonymousCustomer(app.database.db);
      await say(other.id, 'You can reach me at kim@example.org');
      const later = await say(other.id, 'I want to speak to an agent');
      expect(later.answer).toMatch(/No one from our support team is online right now/);
      expect(later.answer).toMatch(/we'll reply by email to kim@example\.org/);
    } finally {
      await setAvailability(app.database.db, agent!.id, 'away');
    }
  });

  it('hands over after two unsure answers in a row', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const first = await say(customer.id, 'What is the capital of France?');
    expect(first.metadata).toMatchObject({ abstained: true, escalated: false });
    const second = await say(customer.id, 'Who painted the Mona Lisa?', first.conversationId);
    expect(second.answer).toMatch(
      /I'm not sure I can answer this correctly, so I'm bringing in a member of our team\./,
    );
    expect((await conversationRow(first.conversationId)).escalationReason).toBe('low_confidence');
  });

  it('opens and reads tickets through tools, and looks up the signed-in customer’s account', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const opened = await say(customer.id, 'Please open a ticket about my kettle leaking.');
    const number = /\*\*(TKT-\d+)\*\*/.exec(opened.answer)?.[1];
    expect(opened.answer).toBe(
      `I've opened ticket **${number}** — “My kettle leaking”. Our support team will follow up by email, and you can ask me for its status any time.`,
    );
    const status = await say(customer.id, `where is my ticket ${number}?`, opened.conversationId);
    expect(status.answer).toMatch(
      new RegExp(`^Ticket \\*\\*${number}\\*\\* \\(“My kettle leaking”\\) is \\*\\*open\\*\\*\\.`),
    );

    const [alice] = await app.database.db
      .select()
      .from(customers)
      .where(eq(customers.externalId, 'demo-alice'));
    const plan = await say(alice!.id, 'What plan am I on?');
    expect(plan.answer).toBe(
      "You're on the **Plus** plan and your account is active. It renews on 15 Dec 2026. Your last invoice, INV-10492, was SGD 9.00 on 15 Nov 2026 and is paid.",
    );
    const guest = await say(customer.id, 'What plan am I on?', opened.conversationId);
    expect(guest.answer).toBe(
      'No shop account is linked to this chat. Sign in on the website first, then ask again.',
    );
  });

  it('keeps a rolling summary once the conversation is long', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const first = await say(customer.id, 'My blender arrived with a cracked jug.');
    await say(customer.id, 'How do returns work for a cracked jug?', first.conversationId);
    await say(customer.id, 'Can I get a replacement jug instead?', first.conversationId);
    await expect
      .poll(async () => (await conversationRow(first.conversationId)).summary)
      .toMatch(/^Customer: My blender arrived with a cracked jug\./);
  });

  it('reads an attached text file, keeps it for agents and refuses an unreadable one', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const note = Buffer.from('Order 4471: the teapot lid was missing when the box arrived.');
    const sent = await say(customer.id, 'See the attached note', undefined, {
      attachments: [{ filename: 'note.txt', mediaType: 'text/plain', bytes: note }],
    });
    const [file] = await app.database.db
      .select()
      .from(attachments)
      .where(eq(attachments.conversationId, sent.conversationId));
    expect(file).toMatchObject({
      filename: 'note.txt',
      mediaType: 'text/plain',
      sizeBytes: note.length,
    });
    expect(file!.extractedText).toContain('the teapot lid was missing');
    expect(Buffer.compare(file!.data, note)).toBe(0);

    const before = await app.database.db.select().from(messages);
    await expect(
      askTurn(app, {
        customer,
        text: 'Here is my receipt',
        attachments: [
          {
            filename: 'receipt.pdf',
            mediaType: 'application/pdf',
            bytes: Buffer.from('not a pdf'),
          },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'bad_request:attachment',
      message: expect.stringMatching(/^receipt\.pdf could not be read as PDF/),
    });
    expect(await app.database.db.select().from(messages)).toHaveLength(before.length);
  });
});
