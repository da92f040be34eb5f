import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as chatEvents } from '@/app/api/chat/events/route';
import { GET as chatSession } from '@/app/api/chat/session/route';
import { POST as reply } from '@/app/api/console/conversations/[id]/messages/route';
import { POST as addNote } from '@/app/api/console/conversations/[id]/notes/route';
import { GET as conversationDetail } from '@/app/api/console/conversations/[id]/route';
import { POST as takeOver } from '@/app/api/console/conversations/[id]/take-over/route';
import { GET as apiConversation } from '@/app/api/v1/conversations/[id]/route';
import { ContextPanel } from '@/components/console/context-panel';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { listNotes } from '@/lib/conversations/notes';
import { createAnonymousCustomer } from '@/lib/customers/queries';
import { CUSTOMER_COOKIE, createCustomerToken } from '@/lib/customers/session';
import type { StaffUser } from '@/lib/staff/queries';
import { askTurn } from '@/tests/harness/customer-turn';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let holder: { staff: StaffUser; cookie: string };
let colleague: { staff: StaffUser; cookie: string };

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
  holder = await signedInStaff(app, 'agent', 'Noor Notes');
  colleague = await signedInStaff(app, 'agent', 'Otto Notes');
});
afterAll(() => stop?.());

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const post = (cookie: string, body: unknown) =>
  new Request('http://localhost/x', {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Reads an event stream until `until` matches, or two seconds of silence after a deadline. */
async function readUntil(
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

describe('internal notes in the thread', () => {
  it('sit among the messages at their time for agents, and never reach the customer', async () => {
    const customer = await createAnonymousCustomer(app.database.db);
    const turn = await askTurn(app, { customer, text: 'I want to talk to a person please' });
    const reader = turn.stream.getReader();
    while (!(await reader.read()).done) {}
    const id = turn.conversationId;
    const customerCookie = `${CUSTOMER_COOKIE}=${createCustomerToken(customer.id, app.secret)}`;

    const abort = new AbortController();
    const live = await chatEvents(
      new Request(`http://localhost/api/chat/events?conversationId=${id}`, {
        headers: { cookie: customerCookie },
        signal: abort.signal,
      }),
    );
    expect(live.status).toBe(200);
    const streamed = readUntil(live, (t) => t.includes('Looking into it now'), abort);

    expect((await takeOver(post(holder.cookie, {}), params(id))).status).toBe(200);
    // A colleague who does not hold the conversation may still leave a note on it.
    const first = await addNote(
      post(colleague.cookie, { text: 'Known reseller — NOTE-4417' }),
      params(id),
    );
    expect(first.status).toBe(201);
    expect(
      (await reply(post(holder.cookie, { text: 'Looking into it now.' }), params(id))).status,
    ).toBe(201);
    const second = await addNote(
      post(holder.cookie, { text: 'Refund approved — NOTE-9902' }),
      params(id),
    );
    expect(second.status).toBe(201);

    // Agents: both notes, in order, placed between the messages by their time.
    const detail = await (
      await conversationDetail(
        new Request(`http://localhost/api/console/conversations/${id}`, {
          headers: { cookie: holder.cookie },
        }),
        params(id),
      )
    ).json();
    expect(
      detail.notes.map((n: { authorName: string; content: string }) => [n.authorName, n.content]),
    ).toEqual([
      ['Otto Notes', 'Known reseller — NOTE-4417'],
      ['Noor Notes', 'Refund approved — NOTE-9902'],
    ]);
    const replyAt = detail.messages.find(
      (m: { content: string }) => m.content === 'Looking into it now.',
    ).createdAt;
    expect(detail.notes[0].createdAt < replyAt).toBe(true);
    expect(detail.notes[1].createdAt > replyAt).toBe(true);
    expect((await listNotes(app.database.db, id)).map((n) => n.content)).toEqual(
      detail.notes.map((n: { content: string }) => n.content),
    );
    // The side panel has no second list or form of notes: they live in the thread only.
    const panel = renderToStaticMarkup(
      createElement(ContextPanel, { detail, onActionDecided() {} }),
    );
    expect(panel).toContain('Summary');
    expect(panel).not.toMatch(/NOTE-\d+|Internal notes|Add note/);

    // The customer: not in the live stream, nor the restored chat, nor the public API.
    const text = await streamed;
    expect(text).toContain('Looking into it now.');
    expect(text).not.toMatch(/NOTE-\d+/);
    expect(text).not.toMatch(/event: note|"type":"note/);

    const session = await chatSession(
      new Request('http://localhost/api/chat/session', { headers: { cookie: customerCookie } }),
      { params: Promise.resolve({}) },
    );
    expect(session.status).toBe(200);
    const restored = await session.text();
    expect(restored).toContain('Looking into it now.');
    expect(restored).not.toMatch(/NOTE-\d+/);

    const { key } = await createApiKey(app.database.db, { name: 'notes-check', scopes: ['read'] });
    const api = await apiConversation(
      new Request(`http://localhost/api/v1/conversations/${id}`, {
        headers: { authorization: `Bearer ${key}` },
      }),
      params(id),
    );
    expect(api.status).toBe(200);
    const fromApi = await api.text();
    expect(fromApi).toContain('Looking into it now.');
    expect(fromApi).not.toMatch(/NOTE-\d+/);
  });

  it('refuses an empty note, and a note on a conversation that does not exist', async () => {
    const empty = await addNote(post(holder.cookie, { text: '   ' }), params(crypto.randomUUID()));
    expect(empty.status).toBe(400);
    const missing = await addNote(
      post(holder.cookie, { text: 'hello' }),
      params(crypto.randomUUID()),
    );
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found:conversation');
  });
});
