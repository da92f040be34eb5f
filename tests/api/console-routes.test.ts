import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH as updateUser } from '@/app/api/admin/users/[id]/route';
import { POST as createUser, GET as listUsers } from '@/app/api/admin/users/route';
import { GET as chatEvents } from '@/app/api/chat/events/route';
import { POST as reply } from '@/app/api/console/conversations/[id]/messages/route';
import { POST as addNote } from '@/app/api/console/conversations/[id]/notes/route';
import { GET as conversationDetail } from '@/app/api/console/conversations/[id]/route';
import { POST as takeOver } from '@/app/api/console/conversations/[id]/take-over/route';
import { GET as consoleEvents } from '@/app/api/console/events/route';
import { GET as queue } from '@/app/api/console/queue/route';
import { tickets, users } from '@/db/schema';
import { encodeStaffSession } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { loadCustomerChat } from '@/lib/conversations/load-customer-chat';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { CUSTOMER_COOKIE, createCustomerToken } from '@/lib/customers/session';
import type { StaffUser } from '@/lib/staff/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let agent: StaffUser;
let otherAgent: StaffUser;
let admin: StaffUser;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  const make = async (name: string, role: 'agent' | 'admin') =>
    (await signedInStaff(app, role, name)).staff;
  agent = await make('Dana', 'agent');
  otherAgent = await make('Sam', 'agent');
  admin = await make('Ada', 'admin');
});
afterAll(() => stop());

const staffCookie = async (who: StaffUser) =>
  `next-auth.session-token=${await encodeStaffSession(app, who)}`;
const customerCookie = (customerId: string) =>
  `${CUSTOMER_COOKIE}=${createCustomerToken(customerId, app.secret)}`;

function request(path: string, init: { method?: string; cookie?: string; body?: unknown } = {}) {
  return new Request(`http://localhost${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

async function escalatedConversation() {
  const customer = await createAnonymousCustomer(app.database.db);
  const result = await askTurn(app, {
    customer,
    text: 'I want to talk to a person please',
  });
  const reader = result.stream.getReader();
  while (!(await reader.read()).done) {}
  return { customer, conversationId: result.conversationId };
}

/** Reads an event stream until `until` matches what arrived, then hangs up. */
async function readEvents(
  response: Response,
  until: (text: string) => boolean,
  abort: AbortController,
) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 5000;
  while (!until(text) && Date.now() < deadline) {
    const next = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((r) =>
        setTimeout(() => r({ done: true, value: undefined }), 250),
      ),
    ]);
    if (next.value) text += decoder.decode(next.value);
  }
  abort.abort();
  return text;
}

describe('console and admin routes check who is calling', () => {
  it('refuses visitors and customers with 401, before touching anything', async () => {
    const { customer, conversationId } = await escalatedConversation();
    for (const cookie of [undefined, customerCookie(customer.id)]) {
      const responses = await Promise.all([
        queue(request('/api/console/queue', { cookie }), params({})),
        conversationDetail(
          request(`/api/console/conversations/${conversationId}`, { cookie }),
          params({ id: conversationId }),
        ),
        takeOver(request('/x', { method: 'POST', cookie }), params({ id: conversationId })),
        reply(
          request('/x', { method: 'POST', cookie, body: { text: 'hi' } }),
          params({ id: conversationId }),
        ),
        addNote(
          request('/x', { method: 'POST', cookie, body: { text: 'hi' } }),
          params({ id: conversationId }),
        ),
        consoleEvents(request('/api/console/events', { cookie }), params({})),
        listUsers(request('/api/admin/users', { cookie }), params({})),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(401);
        expect((await response.json()).error.code).toBe('unauthorized:console');
      }
    }
    const detail = await conversationDetail(
      request(`/api/console/conversations/${conversationId}`, { cookie: await staffCookie(agent) }),
      params({ id: conversationId }),
    );
    expect(detail.status).toBe(200);
    expect((await detail.json()).conversation.owner).toBe('none');
  });

  it('refuses a forged or foreign session token', async () => {
    const forged = `next-auth.session-token=${(await encodeStaffSession(app, admin)).slice(0, -4)}AAAA`;
    expect(
      (await queue(request('/api/console/queue', { cookie: forged }), params({}))).status,
    ).toBe(401);
  });

  it('keeps agents out of admin routes (403), and a role change ends the old session', async () => {
    const asAgent = await staffCookie(otherAgent);
    const refused = await listUsers(request('/api/admin/users', { cookie: asAgent }), params({}));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden:admin');
    const created = await createUser(
      request('/x', {
        method: 'POST',
        cookie: asAgent,
        body: { email: 'x@example.com', name: 'X', password: '12345678' },
      }),
      params({}),
    );
    expect(created.status).toBe(403);

    const asAdmin = await staffCookie(admin);
    const promoted = await updateUser(
      request('/x', { method: 'PATCH', cookie: asAdmin, body: { role: 'admin' } }),
      params({ id: otherAgent.id }),
    );
    expect(promoted.status).toBe(200);
    // A role change ends the account's sessions: the old cookie is refused, and signing in
    // again gives the new role.
    expect(
      (await listUsers(request('/api/admin/users', { cookie: asAgent }), params({}))).status,
    ).toBe(401);
    expect(
      (
        await listUsers(
          request('/api/admin/users', { cookie: await staffCookie(otherAgent) }),
          params({}),
        )
      ).status,
    ).toBe(200);
    await updateUser(
      request('/x', { method: 'PATCH', cookie: asAdmin, body: { role: 'agent' } }),
      params({ id: otherAgent.id }),
    );
    expect(
      (
        await listUsers(
          request('/api/admin/users', { cookie: await staffCookie(otherAgent) }),
          params({}),
        )
      ).status,
    ).toBe(403);
  });

  it('searches the queue, and refuses an unknown filter or an overlong search with 400', async () => {
    const { conversationId } = await escalatedConversation();
    const cookie = await staffCookie(agent);
    const [ticket] = await app.database.db
      .select({ number: tickets.number })
      .from(tickets)
      .where(eq(tickets.conversationId, conversationId));
    const found = await queue(
      request(`/api/console/queue?q=TKT-${ticket!.number}`, { cookie }),
      params({}),
    );
    expect(found.status).toBe(200);
    const body = await found.json();
    expect(body).toMatchObject({ filter: 'open', q: `TKT-${ticket!.number}` });
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([conversationId]);

    for (const search of ['filter=everything', `q=${'x'.repeat(201)}`]) {
      const bad = await queue(request(`/api/console/queue?${search}`, { cookie }), params({}));
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe('bad_request:queue');
    }
  });

  it('lets admins create agents, with clear errors for bad or duplicate input', async () => {
    const cookie = await staffCookie(admin);
    const created = await createUser(
      request('/x', {
        method: 'POST',
        cookie,
        body: { email: 'Lee@Example.com', name: 'Lee', password: 'long enough' },
      }),
      params({}),
    );
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ email: 'lee@example.com', role: 'agent' });
    const again = await createUser(
      request('/x', {
        method: 'POST',
        cookie,
        body: { email: 'lee@example.com', name: 'Lee', password: 'long enough' },
      }),
      params({}),
    );
    expect(again.status).toBe(409);
    const bad = await createUser(
      request('/x', { method: 'POST', cookie, body: { email: 'nope', password: 'short' } }),
      params({}),
    );
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.code).toBe('bad_request:user');
    expect(error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'email',
      'name',
      'password',
    ]);
    // The workspace keeps at least one admin.
    const [seeded] = await app.database.db
      .select()
      .from(users)
      .where(eq(users.email, 'admin@tandem.local'));
    const demote = (id: string) =>
      updateUser(
        request('/x', { method: 'PATCH', cookie, body: { role: 'agent' } }),
        params({ id }),
      );
    expect((await demote(seeded!.id)).status).toBe(200);
    const lastAdmin = await demote(admin.id);
    expect(lastAdmin.status).toBe(409);
    expect((await lastAdmin.json()).error.message).toBe('The workspace needs at least one admin.');
    await updateUser(
      request('/x', { method: 'PATCH', cookie, body: { role: 'admin' } }),
      params({ id: seeded!.id }),
    );
  });

  it('answers one of two simultaneous take-overs with 200 and the other with 409 naming the winner', async () => {
    const { conversationId } = await escalatedConversation();
    const [a, b] = await Promise.all([
      takeOver(
        request('/x', { method: 'POST', cookie: await staffCookie(agent) }),
        params({ id: conversationId }),
      ),
      takeOver(
        request('/x', { method: 'POST', cookie: await staffCookie(otherAgent) }),
        params({ id: conversationId }),
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost = a.status === 409 ? a : b;
    const winner = a.status === 200 ? 'Dana' : 'Sam';
    const { error } = await lost.json();
    expect(error).toMatchObject({
      code: 'conflict:conversation',
      details: { assignedAgent: { name: winner } },
    });
    expect(error.message).toBe(`${winner} has already taken over this conversation.`);
  });

  it('never sends internal notes to the customer, live or on reload', async () => {
    const { customer, conversationId } = await escalatedConversation();
    const abort = new AbortController();
    const widget = await chatEvents(
      new Request(`http://localhost/api/chat/events?conversationId=${conversationId}`, {
        headers: { cookie: customerCookie(customer.id) },
        signal: abort.signal,
      }),
    );
    expect(widget.status).toBe(200);
    const cookie = await staffCookie(agent);
    const streamed = readEvents(widget, (t) => t.includes('Checking your order now'), abort);
    expect(
      (await takeOver(request('/x', { method: 'POST', cookie }), params({ id: conversationId })))
        .status,
    ).toBe(200);
    const note = await addNote(
      request('/x', {
        method: 'POST',
        cookie,
        body: { text: 'Customer seems to be a reseller; SECRET-7731' },
      }),
      params({ id: conversationId }),
    );
    expect(note.status).toBe(201);
    const sent = await reply(
      request('/x', { method: 'POST', cookie, body: { text: 'Checking your order now.' } }),
      params({ id: conversationId }),
    );
    expect(sent.status).toBe(201);

    const text = await streamed;
    expect(text).toContain('Dana joined the conversation');
    expect(text).toContain('Checking your order now.');
    expect(text).not.toContain('SECRET-7731');
    expect(text).not.toContain('note');
    expect(text).not.toContain('classification');

    const onReload = await loadCustomerChat(app, createCustomerToken(customer.id, app.secret));
    expect(JSON.stringify(onReload)).not.toContain('SECRET-7731');
    expect(JSON.stringify(onReload)).toContain('Checking your order now.');

    // The console does see it.
    const detail = await (
      await conversationDetail(
        request(`/api/console/conversations/${conversationId}`, { cookie }),
        params({ id: conversationId }),
      )
    ).json();
    expect(detail.notes.map((n: { content: string }) => n.content)).toEqual([
      'Customer seems to be a reseller; SECRET-7731',
    ]);
  });

  it("refuses a customer another customer's conversation stream", async () => {
    const { conversationId } = await escalatedConversation();
    const stranger = await createAnonymousCustomer(app.database.db);
    const refused = await chatEvents(
      new Request(`http://localhost/api/chat/events?conversationId=${conversationId}`, {
        headers: { cookie: customerCookie(stranger.id) },
      }),
    );
    expect(refused.status).toBe(403);
    const anonymous = await chatEvents(
      new Request(`http://localhost/api/chat/events?conversationId=${conversationId}`),
    );
    expect(anonymous.status).toBe(401);
  });
});
