import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as summary } from '@/app/api/v1/analytics/summary/route';
import { POST as agentMessage } from '@/app/api/v1/conversations/[id]/agent-messages/route';
import { POST as escalate } from '@/app/api/v1/conversations/[id]/escalate/route';
import { POST as resolveConversation } from '@/app/api/v1/conversations/[id]/resolve/route';
import { GET as getConversation } from '@/app/api/v1/conversations/[id]/route';
import { GET as insights } from '@/app/api/v1/customers/[id]/insights/route';
import { GET as customerTickets } from '@/app/api/v1/customers/[id]/tickets/route';
import { DELETE as deleteDocument } from '@/app/api/v1/kb/documents/[id]/route';
import { POST as addDocument, GET as listDocuments } from '@/app/api/v1/kb/documents/route';
import { POST as kbSearch } from '@/app/api/v1/kb/search/route';
import { GET as kbStats } from '@/app/api/v1/kb/stats/route';
import { POST as feedback } from '@/app/api/v1/messages/[id]/feedback/route';
import { POST as postMessage } from '@/app/api/v1/messages/route';
import { GET as getTicket, PATCH as patchTicket } from '@/app/api/v1/tickets/[id]/route';
import { POST as createTicket } from '@/app/api/v1/tickets/route';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { createStaff } from '@/lib/staff/queries';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
const keys: Record<'read' | 'write' | 'agent' | 'admin', string> = {
  read: '',
  write: '',
  agent: '',
  admin: '',
};

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  for (const scope of ['read', 'write', 'agent', 'admin'] as const) {
    keys[scope] = (
      await createApiKey(app.database.db, {
        name: `${scope} key`,
        scopes: [scope],
        rateLimitPerMinute: 10_000,
      })
    ).key;
  }
  await createStaff(app.database.db, {
    email: 'api-agent@x.test',
    name: 'Ines',
    role: 'agent',
    password: 'password-1',
  });
});
afterAll(() => stop());

type Handler = (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response>;

function call(
  handler: Handler,
  init: { key?: string; method?: string; body?: unknown; id?: string; query?: string } = {},
) {
  return handler(
    new Request(`http://localhost/api/v1/x${init.query ?? ''}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve((init.id ? { id: init.id } : {}) as { id: string }) },
  );
}

async function newConversation(customer: string, message = 'Where is my parcel?') {
  return (await (
    await call(postMessage as Handler, {
      key: keys.write,
      body: { customer_id: customer, message },
    })
  ).json()) as {
    conversation_id: string;
    message_id: string;
  };
}

describe('API v1 resources', () => {
  it('escalates, lets an agent reply, and resolves a conversation', async () => {
    const { conversation_id: id } = await newConversation('res-1');
    const escalated = await (
      await call(escalate as Handler, { key: keys.write, id, body: { reason: 'VIP customer' } })
    ).json();
    expect(escalated).toMatchObject({
      escalated: true,
      status: 'waiting',
      ticket: expect.stringMatching(/^TKT-\d+$/),
    });

    const reply = await call(agentMessage as Handler, {
      key: keys.agent,
      id,
      body: { agent_email: 'api-agent@x.test', message: 'Ines here — checking now.' },
    });
    expect(reply.status).toBe(201);
    expect(
      (
        await call(agentMessage as Handler, {
          key: keys.write,
          id,
          body: { agent_email: 'api-agent@x.test', message: 'x' },
        })
      ).status,
    ).toBe(403);

    // An agent holds it: resolving needs that agent.
    expect(
      (await call(resolveConversation as Handler, { key: keys.write, id, body: {} })).status,
    ).toBe(409);
    const resolved = await call(resolveConversation as Handler, {
      key: keys.write,
      id,
      body: { agent_email: 'api-agent@x.test', note: 'sorted' },
    });
    expect(await resolved.json()).toEqual({ id, status: 'resolved' });
    const transcript = await (
      await call(getConversation as Handler, { key: keys.read, id })
    ).json();
    expect(transcript.messages.map((m: { role: string }) => m.role)).toContain('agent');
    expect(JSON.stringify(transcript)).not.toContain('sorted');
  });

  it('resolves a conversation nobody holds for the caller, settling its ticket, once', async () => {
    const { conversation_id: id } = await newConversation('res-2');
    await call(escalate as Handler, { key: keys.write, id, body: {} });
    const resolved = await call(resolveConversation as Handler, {
      key: keys.write,
      id,
      body: { note: 'refunded by phone' },
    });
    expect(await resolved.json()).toEqual({ id, status: 'resolved' });
    const [ticket] = (
      await (await call(customerTickets as Handler, { key: keys.read, id: 'res-2' })).json()
    ).data;
    expect(ticket.status).toBe('resolved');
    const again = await call(resolveConversation as Handler, { key: keys.write, id, body: {} });
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toBe('This conversation is already resolved.');
  });

  it('creates, reads, updates and lists tickets; another customer’s conversation is not found', async () => {
    await newConversation('tick-1');
    const created = await call(createTicket as Handler, {
      key: keys.write,
      body: {
        customer_id: 'tick-1',
        subject: 'Broken kettle',
        description: 'Arrived cracked',
        priority: 'high',
      },
    });
    expect(created.status).toBe(201);
    const ticket = await created.json();
    expect(ticket).toMatchObject({
      subject: 'Broken kettle',
      status: 'open',
      priority: 'high',
      customer_id: 'tick-1',
    });
    expect(
      await (await call(getTicket as Handler, { key: keys.read, id: ticket.number })).json(),
    ).toEqual(ticket);
    const updated = await (
      await call(patchTicket as Handler, {
        key: keys.write,
        id: ticket.id,
        method: 'PATCH',
        body: { status: 'in_progress', add_details: 'Photo sent' },
      })
    ).json();
    expect(updated).toMatchObject({
      status: 'in_progress',
      description: expect.stringContaining('Photo sent'),
    });
    const listed = await (
      await call(customerTickets as Handler, { key: keys.read, id: 'tick-1' })
    ).json();
    expect(listed.data.map((t: { id: string }) => t.id)).toEqual([ticket.id]);

    const { conversation_id: theirs } = await newConversation('tick-2');
    const refused = await call(createTicket as Handler, {
      key: keys.write,
      body: { customer_id: 'tick-1', subject: 's', description: 'd', conversation_id: theirs },
    });
    expect(refused.status).toBe(404);
    expect((await call(getTicket as Handler, { key: keys.read, id: 'TKT-999999' })).status).toBe(
      404,
    );
    const bad = await call(patchTicket as Handler, {
      key: keys.write,
      id: ticket.id,
      method: 'PATCH',
      body: { status: 'done' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'status',
    ]);
  });

  it('manages and searches the knowledge base', async () => {
    const added = await call(addDocument as Handler, {
      key: keys.write,
      body: {
        title: 'Gift wrapping',
        content: 'We gift-wrap any order for S$3. Choose gift wrap at checkout.',
        category: 'orders_shipping',
      },
    });
    expect(added.status).toBe(201);
    const { document } = await added.json();
    expect(document).toMatchObject({
      slug: 'gift-wrapping',
      category: 'orders_shipping',
      url: '/kb/gift-wrapping',
    });
    const found = await (
      await call(kbSearch as Handler, {
        key: keys.read,
        body: { query: 'Can you gift wrap my order?' },
      })
    ).json();
    expect(found.passages[0]).toMatchObject({ slug: 'gift-wrapping' });
    expect(found.answerable).toBe(true);
    const stats = await (await call(kbStats as Handler, { key: keys.read })).json();
    expect(stats.documents).toBeGreaterThanOrEqual(17);
    const listed = await (
      await call(listDocuments as Handler, { key: keys.read, query: '?q=gift' })
    ).json();
    expect(listed.data.map((d: { slug: string }) => d.slug)).toContain('gift-wrapping');
    expect(listed.total).toBe(listed.data.length);
    expect(
      (await call(deleteDocument as Handler, { key: keys.read, id: document.id, method: 'DELETE' }))
        .status,
    ).toBe(403);
    expect(
      (
        await call(deleteDocument as Handler, {
          key: keys.write,
          id: document.id,
          method: 'DELETE',
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call(deleteDocument as Handler, {
          key: keys.write,
          id: document.id,
          method: 'DELETE',
        })
      ).status,
    ).toBe(404);
  });

  it('takes feedback on answers, and reports analytics and customer insights', async () => {
    const { message_id } = await newConversation('fb-1', 'How do I reset my password?');
    expect(
      await (
        await call(feedback as Handler, {
          key: keys.write,
          id: message_id,
          body: { helpful: true },
        })
      ).json(),
    ).toEqual({
      message_id,
      helpful: true,
    });
    expect(
      (
        await call(feedback as Handler, {
          key: keys.write,
          id: crypto.randomUUID(),
          body: { helpful: true },
        })
      ).status,
    ).toBe(404);
    const metrics = await (
      await call(summary as Handler, { key: keys.read, query: '?days=7' })
    ).json();
    expect(metrics.totals.conversations).toBeGreaterThan(0);
    expect(metrics.answers.helpful).toBeGreaterThanOrEqual(1);
    expect((await call(summary as Handler, { key: keys.read, query: '?days=5' })).status).toBe(400);
    const customer = await (await call(insights as Handler, { key: keys.read, id: 'fb-1' })).json();
    expect(customer).toMatchObject({ customer_id: 'fb-1', conversations: 1 });
    expect((await call(insights as Handler, { key: keys.read, id: 'nobody' })).status).toBe(404);
  });

  it('refuses every endpoint without a key (401) and with too narrow a scope (403)', async () => {
    const id = crypto.randomUUID();
    const writes: [Handler, string?][] = [
      [escalate as Handler, 'POST'],
      [resolveConversation as Handler, 'POST'],
      [createTicket as Handler, 'POST'],
      [addDocument as Handler, 'POST'],
      [feedback as Handler, 'POST'],
      [patchTicket as Handler, 'PATCH'],
    ];
    const reads: Handler[] = [
      getConversation as Handler,
      getTicket as Handler,
      customerTickets as Handler,
      listDocuments as Handler,
      kbStats as Handler,
      summary as Handler,
      insights as Handler,
    ];
    for (const [handler, method] of writes) {
      expect((await call(handler, { id, method, body: {} })).status).toBe(401);
      expect((await call(handler, { key: keys.read, id, method, body: {} })).status).toBe(403);
    }
    for (const handler of reads) expect((await call(handler, { id })).status).toBe(401);
    expect((await call(agentMessage as Handler, { key: keys.write, id, body: {} })).status).toBe(
      403,
    );
  });
});
