import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/chat/route';
import { GET } from '@/app/api/chat/session/route';
import { startServedTestApp } from '../harness/app';

let stop: () => Promise<void>;

beforeAll(async () => {
  ({ stop } = await startServedTestApp());
});

afterAll(() => stop());

const noParams = { params: Promise.resolve({}) };

function chat(parts: unknown[], headers: Record<string, string> = {}, extra = {}) {
  return POST(
    new NextRequest('http://localhost/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        message: { id: crypto.randomUUID(), role: 'user', parts },
        ...extra,
      }),
    }),
    noParams,
  );
}

function restore(headers: Record<string, string> = {}) {
  return GET(new NextRequest('http://localhost/api/chat/session', { headers }), noParams);
}

const dataUrl = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

describe('a widget with its session only as a token (a frame on another site)', () => {
  it('gets its conversation back with the token the chat answered with', async () => {
    const first = await chat([{ type: 'text', text: 'How do I reset my password?' }]);
    expect(first.status).toBe(200);
    await first.text();
    const token = first.headers.get('x-tandem-session')!;
    expect(token).toBeTruthy();
    const conversationId = first.headers.get('x-conversation-id');

    const restored = await restore({ 'x-tandem-session': token });
    expect(restored.status).toBe(200);
    expect(restored.headers.get('cache-control')).toBe('private, no-store');
    const chatState = (await restored.json()) as {
      conversationId: string;
      messages: { role: string; parts: { type: string; text?: string }[] }[];
      withPerson: boolean;
      consent: unknown;
    };
    expect(chatState.conversationId).toBe(conversationId);
    expect(chatState.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(chatState.messages[0]!.parts).toContainEqual({
      type: 'text',
      text: 'How do I reset my password?',
    });
    expect(chatState.withPerson).toBe(false);

    // The same token continues the same conversation.
    const next = await chat(
      [{ type: 'text', text: 'Thanks!' }],
      { 'x-tandem-session': token },
      { conversationId },
    );
    expect(next.status).toBe(200);
    await next.text();
    expect(next.headers.get('x-conversation-id')).toBe(conversationId);
  });

  it('is told to open the chat first without a session, or with a forged one', async () => {
    for (const headers of [{}, { 'x-tandem-session': 'not-a-token' }] as Record<string, string>[]) {
      const response = await restore(headers);
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('unauthorized:chat');
    }
  });
});

describe('attachments on the chat route', () => {
  it('answers 413 naming the limit, before anything is stored', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(6 * 1024 * 1024)]);
    const response = await chat([
      {
        type: 'file',
        mediaType: 'application/pdf',
        filename: 'scan.pdf',
        url: dataUrl('application/pdf', big),
      },
      { type: 'text', text: 'My statement' },
    ]);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({
      code: 'payload_too_large:attachment',
      message: 'scan.pdf is 6 MB; a file can be at most 5 MB.',
    });
    expect(response.headers.get('x-tandem-session')).toBeNull();
  });

  it('answers 415 naming the accepted types, not a field error', async () => {
    const response = await chat([
      {
        type: 'file',
        mediaType: 'application/x-msdownload',
        filename: 'setup.exe',
        url: dataUrl('application/x-msdownload', Buffer.from('MZ')),
      },
    ]);
    expect(response.status).toBe(415);
    const { error } = await response.json();
    expect(error.code).toBe('unsupported_media_type:attachment');
    expect(error.message).toContain('Attach PDF, Word (.docx), text, Markdown, HTML');
  });

  it('takes a one-line text file and a page of garbage markup', async () => {
    for (const [filename, type, content] of [
      ['order.txt', 'text/plain', 'Order 4471'],
      ['page.html', 'text/html', '<<html>><<<body <script>x</script></ <p'],
    ] as const) {
      const response = await chat([
        { type: 'file', mediaType: type, filename, url: dataUrl(type, Buffer.from(content)) },
        { type: 'text', text: 'See the attached file' },
      ]);
      expect(response.status).toBe(200);
      await response.text();
    }
  });
});
