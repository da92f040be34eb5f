import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as chat } from '@/app/api/chat/route';
import { PEER_ADDRESS_HEADER, PEER_ADDRESS_MARKER } from '@/lib/security/client-address';
import { startServedTestApp } from '../harness/app';

let stop: () => Promise<void>;

beforeAll(async () => {
  ({ stop } = await startServedTestApp({
    TANDEM_WIDGET_MESSAGES_PER_MINUTE: '3',
    TANDEM_WIDGET_CONVERSATIONS_PER_HOUR: '2',
    // The load balancer 10.0.0.1 is the peer of every request and appends the client's address.
    TANDEM_TRUSTED_PROXIES: '10.0.0.0/8',
  }));
  // As under `npm start`, which writes the connection's address on every request.
  (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_MARKER] = true;
});
afterAll(async () => {
  delete (globalThis as Record<symbol, unknown>)[PEER_ADDRESS_MARKER];
  await stop();
});

async function say(
  text: string,
  {
    cookie,
    conversationId,
    ip,
    forged,
  }: { cookie?: string; conversationId?: string; ip: string; forged?: string },
) {
  const response = await chat(
    new NextRequest('http://localhost/api/chat', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': forged ? `${forged}, ${ip}` : ip,
        [PEER_ADDRESS_HEADER]: '10.0.0.1',
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify({
        conversationId,
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
      }),
    }),
  );
  const body = await response.text();
  return { response, body };
}

type ErrorBody = {
  error: { code: string; message: string; details: { retryAfterSeconds: number } };
};

describe('the widget flood limits', () => {
  it('refuses the message after the per-session limit with 429, Retry-After and a JSON error', async () => {
    const first = await say('Hello', { ip: '198.51.100.7' });
    expect(first.response.status).toBe(200);
    const cookie = first.response.headers.get('set-cookie')!.split(';')[0]!;
    const conversationId = first.response.headers.get('x-conversation-id')!;
    // The limit counts messages of a known session: three more pass, the fourth does not.
    for (let i = 0; i < 3; i++) {
      const next = await say(`Question ${i}`, { cookie, conversationId, ip: '198.51.100.7' });
      expect(next.response.status).toBe(200);
    }
    const refused = await say('One too many', { cookie, conversationId, ip: '198.51.100.7' });
    expect(refused.response.status).toBe(429);
    const retryAfter = Number(refused.response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = JSON.parse(refused.body) as ErrorBody;
    expect(body.error.code).toBe('rate_limited:widget_messages');
    expect(body.error.message).toMatch(
      /^You're sending messages faster than we can read them \(at most 3 a minute\)\. Please wait \d+ seconds and try again\.$/,
    );
    expect(body.error.details.retryAfterSeconds).toBe(retryAfter);
  });

  it('refuses new conversations from one address past the hourly limit, others still pass', async () => {
    // 198.51.100.7 already started one conversation above.
    expect((await say('Hi again', { ip: '198.51.100.7' })).response.status).toBe(200);
    const refused = await say('And again', { ip: '198.51.100.7' });
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((JSON.parse(refused.body) as ErrorBody).error.code).toBe(
      'rate_limited:widget_conversations',
    );
    expect((await say('Hello', { ip: '203.0.113.20' })).response.status).toBe(200);
  });

  it('counts a client that rotates the X-Forwarded-For it sends as one address', async () => {
    // The address the proxy appended is the client's, whatever the client wrote before it.
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const { response } = await say('New here', { ip: '192.0.2.77', forged: `203.0.113.${i}` });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
  });
});
