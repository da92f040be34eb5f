import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT as saveInactivity } from '@/app/api/admin/settings/inactivity/route';
import { GET as getConversation } from '@/app/api/chat/conversations/[id]/route';
import { GET as listConversations } from '@/app/api/chat/conversations/route';
import { POST as chat } from '@/app/api/chat/route';
import { GET as apiConversation } from '@/app/api/v1/conversations/[id]/route';
import { POST as apiMessage } from '@/app/api/v1/messages/route';
import { createApiKey } from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { resolveUnheld } from '@/lib/conversations/handoff';
import { getInactivitySettings } from '@/lib/settings/inactivity';
import { signedInStaff, startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startServedTestApp());
});
afterAll(() => stop());

const noParams = { params: Promise.resolve({}) };
const idParams = (id: string) => ({ params: Promise.resolve({ id }) });

async function say(text: string, session?: string, conversationId?: string) {
  const response = await chat(
    new NextRequest('http://localhost/api/chat', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(session ? { 'x-tandem-session': session } : {}),
      },
      body: JSON.stringify({
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
        ...(conversationId ? { conversationId } : {}),
      }),
    }),
    noParams,
  );
  expect(response.status).toBe(200);
  await response.text();
  return {
    session: response.headers.get('x-tandem-session') || session!,
    conversationId: response.headers.get('x-conversation-id')!,
  };
}

const asVisitor = (path: string, session?: string) =>
  new NextRequest(`http://localhost${path}`, {
    headers: session ? { 'x-tandem-session': session } : {},
  });

describe('the widget after a conversation was resolved', () => {
  it('starts a new conversation for the next question and lists both for the visitor only', async () => {
    const first = await say('How do I reset my password?');
    await resolveUnheld(app, first.conversationId, { by: 'test' });

    // The widget still names the resolved conversation; the server starts a follow-up.
    const next = await say('How long do refunds take?', first.session, first.conversationId);
    expect(next.conversationId).not.toBe(first.conversationId);

    const listed = await listConversations(
      asVisitor('/api/chat/conversations', first.session),
      noParams,
    );
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('private, no-store');
    const { conversations } = (await listed.json()) as {
      conversations: {
        id: string;
        status: string;
        firstQuestion: string;
        previousConversationId: string | null;
      }[];
    };
    expect(conversations.map((c) => [c.id, c.status, c.firstQuestion])).toEqual([
      [next.conversationId, 'open', 'How long do refunds take?'],
      [first.conversationId, 'resolved', 'How do I reset my password?'],
    ]);
    expect(conversations[0]!.previousConversationId).toBe(first.conversationId);

    const past = await getConversation(
      asVisitor(`/api/chat/conversations/${first.conversationId}`, first.session),
      idParams(first.conversationId),
    );
    expect(past.status).toBe(200);
    const body = (await past.json()) as { status: string; messages: { role: string }[] };
    expect(body.status).toBe('resolved');
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'system']);

    // Another visitor learns nothing of it: not listed, and reported missing.
    const stranger = await say('Hello there');
    const theirs = await listConversations(
      asVisitor('/api/chat/conversations', stranger.session),
      noParams,
    );
    expect(
      ((await theirs.json()) as { conversations: { id: string }[] }).conversations.map((c) => c.id),
    ).toEqual([stranger.conversationId]);
    const refused = await getConversation(
      asVisitor(`/api/chat/conversations/${first.conversationId}`, stranger.session),
      idParams(first.conversationId),
    );
    expect(refused.status).toBe(404);
    expect((await refused.json()).error.code).toBe('not_found:conversation');
  });

  it('asks a visitor without a session to open the chat first, and calls a malformed id missing', async () => {
    const list = await listConversations(asVisitor('/api/chat/conversations'), noParams);
    expect(list.status).toBe(401);
    expect((await list.json()).error.code).toBe('unauthorized:chat');
    const one = await getConversation(
      asVisitor(`/api/chat/conversations/${crypto.randomUUID()}`),
      idParams(crypto.randomUUID()),
    );
    expect(one.status).toBe(401);

    const { session } = await say('Hi');
    const malformed = await getConversation(
      asVisitor('/api/chat/conversations/not-an-id', session),
      idParams('not-an-id'),
    );
    expect(malformed.status).toBe(404);
  });
});

describe('the public API after a conversation was resolved', () => {
  it('answers in a new conversation that names the resolved one as its previous', async () => {
    const key = (await createApiKey(app.database.db, { name: 'crm', scopes: ['write', 'read'] }))
      .key;
    const send = async (message: string, conversationId?: string) => {
      const response = await apiMessage(
        new Request('http://localhost/api/v1/messages', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            customer_id: 'crm-customer-7',
            message,
            consent: 'granted',
            ...(conversationId ? { conversation_id: conversationId } : {}),
          }),
        }),
        noParams,
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as { conversation_id: string }).conversation_id;
    };
    const first = await send('How do I reset my password?');
    await resolveUnheld(app, first, { by: 'crm' });
    const second = await send('And how long do refunds take?', first);
    expect(second).not.toBe(first);

    const shown = await apiConversation(
      new Request(`http://localhost/api/v1/conversations/${second}`, {
        headers: { authorization: `Bearer ${key}` },
      }),
      idParams(second),
    );
    expect(
      ((await shown.json()) as { previous_conversation_id: string }).previous_conversation_id,
    ).toBe(first);
  });
});

describe('the inactivity settings', () => {
  const put = (cookie: string, body: unknown) =>
    saveInactivity(
      new Request('http://localhost/api/admin/settings/inactivity', {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      noParams,
    );

  it('are saved by an admin, refused to an agent, and explained field by field when wrong', async () => {
    const admin = await signedInStaff(app, 'admin', 'Ines Admin');
    const agent = await signedInStaff(app, 'agent', 'Aga Agent');
    const policy = {
      ask: { enabled: true, afterSeconds: 180 },
      resolve: { enabled: false, afterSeconds: 1800 },
    };
    const saved = await put(admin.cookie, policy);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ inactivity: policy });
    expect(await getInactivitySettings(app.database.db)).toEqual(policy);

    expect((await put(agent.cookie, policy)).status).toBe(403);

    const wrong = await put(admin.cookie, { ...policy, ask: { enabled: true, afterSeconds: 0 } });
    expect(wrong.status).toBe(400);
    const error = (await wrong.json()).error as { code: string; message: string };
    expect(error.code).toBe('bad_request:inactivity');
    expect(error.message).toContain('ask.afterSeconds');
  });
});
