import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as replyRoute } from '@/app/api/console/tickets/[id]/reply/route';
import { customers, tickets } from '@/db/schema';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { closeMailers } from '@/lib/email/mailer';
import { createStaff } from '@/lib/staff/queries';
import { createTicket } from '@/lib/tickets/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { startServedTestApp } from '../harness/app';

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

const received: ReceivedMail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});
let smtpPort = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as { port: number }).port;
});
afterAll(async () => {
  closeMailers();
  await new Promise<void>((resolve) => smtp.close(resolve));
});

/** Reads the answer's UI message stream to its end and returns the text the customer saw. */
async function answerText(stream: ReadableStream<{ type: string; delta?: string }>) {
  let text = '';
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    if (read.value.type === 'text-delta') text += read.value.delta;
  }
  return text;
}

/** Decodes quoted-printable (soft breaks, =XX bytes as UTF-8) so assertions read the text. */
function readable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

async function setUp(app: AppContext) {
  const agent = await createStaff(app.database.db, {
    email: `dana-${crypto.randomUUID()}@example.com`,
    name: 'Dana',
    role: 'agent',
    password: 'a good password',
  });
  // With an https NEXTAUTH_URL next-auth names its cookie __Secure-….
  const name = `${app.config.auth.secureCookies ? '__Secure-' : ''}next-auth.session-token`;
  const cookie = `${name}=${await encodeStaffSession(app, agent)}`;
  const customer = await createAnonymousCustomer(app.database.db);
  return { agent, cookie, customer };
}

function reply(ticketId: string, cookie: string, message: unknown) {
  return replyRoute(
    new Request(`http://localhost/api/console/tickets/${ticketId}/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ message }),
    }),
    { params: Promise.resolve({ id: ticketId }) },
  );
}

describe('email through SMTP', () => {
  let app: AppContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, stop } = await startServedTestApp({
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      TANDEM_EMAIL_FROM: 'Parcelly Support <support@parcelly.test>',
      TANDEM_TEAM_EMAIL: 'team@parcelly.test, lead@parcelly.test',
      NEXTAUTH_URL: 'https://help.parcelly.test',
    }));
  });
  afterAll(() => stop());

  it('alerts the team when a conversation is escalated and no one is online', async () => {
    const { customer } = await setUp(app);
    await app.database.db
      .update(customers)
      .set({ name: 'Alice Chen', email: 'alice@example.com' })
      .where(eq(customers.id, customer.id));
    const before = received.length;
    const result = await askTurn(app, {
      customer: { ...customer, name: 'Alice Chen', email: 'alice@example.com' },
      text: 'I want to talk to a real person please',
    });
    await answerText(result.stream);
    await vi.waitFor(() => expect(received.length).toBe(before + 1), { timeout: 5000 });
    const mail = received.at(-1)!;
    expect(mail.from).toBe('support@parcelly.test');
    expect(mail.to).toEqual(['team@parcelly.test', 'lead@parcelly.test']);
    const text = readable(mail.raw);
    const [ticket] = await app.database.db
      .select()
      .from(tickets)
      .where(eq(tickets.conversationId, result.conversationId));
    expect(text).toMatch(new RegExp(`^Subject: \\[TKT-${ticket!.number}\\] \\w+ priority: `, 'm'));
    expect(text).toMatch(/^Reply-To: alice@example.com/m);
    expect(text).toContain('Alice Chen needs a person, and no agent is online.');
    expect(text).toContain('Reason: customer_request');
    expect(text).toContain(
      `https://help.parcelly.test/console/conversations/${result.conversationId}`,
    );
  });

  it("mails an agent's ticket reply to the customer and keeps it in the ticket's history", async () => {
    const { cookie, customer } = await setUp(app);
    await app.database.db
      .update(customers)
      .set({ email: 'ben@example.com' })
      .where(eq(customers.id, customer.id));
    const ticket = await createTicket(app.database.db, {
      customerId: customer.id,
      subject: 'Parcel arrived damaged',
      description: 'The box was crushed.',
    });
    const before = received.length;
    const response = await reply(ticket.id, cookie, 'We are sending a replacement today.');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      emailed: boolean;
      ticket: { status: string; description: string; number: string };
    };
    expect(body.emailed).toBe(true);
    expect(body.ticket.status).toBe('waiting_customer');
    expect(body.ticket.description).toMatch(
      /^The box was crushed\.\n\n\[\d{4}-\d\d-\d\d \d\d:\d\d UTC, reply from Dana\] We are sending a replacement today\.$/,
    );
    expect(received.length).toBe(before + 1);
    const mail = received.at(-1)!;
    expect(mail.to).toEqual(['ben@example.com']);
    const text = readable(mail.raw);
    expect(text).toContain(`Subject: Re: [${body.ticket.number}] Parcel arrived damaged`);
    expect(text).toContain('We are sending a replacement today.\r\n\r\n— Dana');
  });

  it('keeps the reply without mailing when the customer has no email, and validates input', async () => {
    const { cookie, customer } = await setUp(app);
    const ticket = await createTicket(app.database.db, {
      customerId: customer.id,
      subject: 'Question',
      description: 'Asked in chat.',
    });
    const before = received.length;
    const response = await reply(ticket.id, cookie, 'Here is the answer.');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { emailed: boolean }).emailed).toBe(false);
    expect(received.length).toBe(before);

    const empty = await reply(ticket.id, cookie, '   ');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { code: string } }).error.code).toBe(
      'bad_request:ticket_reply',
    );
    expect((await reply(ticket.id, '', 'Hi')).status).toBe(401);
    expect((await reply(crypto.randomUUID(), cookie, 'Hi')).status).toBe(404);
  });
});

describe('without SMTP configured', () => {
  it('sends nothing and fails nothing', async () => {
    const { app, stop } = await startServedTestApp();
    try {
      const { cookie, customer } = await setUp(app);
      await app.database.db
        .update(customers)
        .set({ email: 'carol@example.com' })
        .where(eq(customers.id, customer.id));
      const before = received.length;
      const result = await askTurn(app, {
        customer: { ...customer, email: 'carol@example.com' },
        text: 'I want to talk to a real person please',
      });
      const answer = await answerText(result.stream);
      expect(answer).toContain("we'll reply by email to carol@example.com");
      const [ticket] = await app.database.db
        .select()
        .from(tickets)
        .where(eq(tickets.conversationId, result.conversationId));
      const response = await reply(ticket!.id, cookie, 'Answered.');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { emailed: boolean }).emailed).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.length).toBe(before);
    } finally {
      await stop();
    }
  });
});
