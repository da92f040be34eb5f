import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST } from '@/app/api/chat/route';
import { messages } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { startServedTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;
let server: Server;
let baseUrl: string;

/**
 * The chat route behind a real HTTP server that writes each chunk of the response body as it
 * comes, as `next start` does: what the customer's browser receives is what the socket carried.
 */
async function serveChatRoute(): Promise<Server> {
  const http = createServer((req, res) => {
    relay(req, res).catch((error: unknown) => res.destroy(error as Error));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return http;
}

async function relay(req: IncomingMessage, res: ServerResponse) {
  const body: Buffer[] = [];
  for await (const chunk of req) body.push(chunk as Buffer);
  const response = await POST(
    new NextRequest(`http://localhost${req.url}`, {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: Buffer.concat(body),
    }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  const reader = response.body?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader!.read()) {
    res.write(next.value);
  }
  res.end();
}

interface Received {
  /** Milliseconds after the request was sent. */
  at: number;
  /** The answer's text this network read completed. */
  text: string;
}

/** Asks over HTTP and records, read by read, which part of the answer's text arrived when. */
async function askOverNetwork(question: string) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: question }] },
    }),
  });
  expect(response.status).toBe(200);
  const reads: Received[] = [];
  const decoder = new TextDecoder();
  let pending = '';
  const reader = response.body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    pending += decoder.decode(next.value, { stream: true });
    // Server-sent events end with a blank line; an event cut across two reads waits for the next.
    const events = pending.split('\n\n');
    pending = events.pop()!;
    const text = events
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)) as { type: string; delta?: string })
      .filter((e) => e.type === 'text-delta')
      .map((e) => e.delta)
      .join('');
    if (text) reads.push({ at: performance.now() - started, text });
  }
  return {
    reads,
    conversationId: response.headers.get('x-conversation-id')!,
    total: performance.now() - started,
  };
}

beforeAll(async () => {
  // The product's defaults: the pace the offline model streams at is not set here.
  ({ app, stop } = await startServedTestApp());
  server = await serveChatRoute();
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await stop();
});

describe('an offline answer over the network', () => {
  it('leaves the server in several pieces, its first words before the rest', async () => {
    const { reads, conversationId, total } = await askOverNetwork('How do I reset my password?');
    const answer = reads.map((r) => r.text).join('');
    console.info(
      `answer of ${answer.length} characters in ${reads.length} network reads; ` +
        `first words after ${reads[0]?.at.toFixed(1)} ms, last after ${reads.at(-1)?.at.toFixed(1)} ms, ` +
        `response complete after ${total.toFixed(1)} ms`,
    );
    expect(reads.length).toBeGreaterThan(1);
    // The first read holds only the start of the answer: the rest was still on its way.
    expect(reads[0]!.text.length).toBeLessThan(answer.length / 2);
    expect(reads.at(-1)!.at).toBeGreaterThan(reads[0]!.at);

    // What streamed is the answer that was stored, whole and in order.
    await vi.waitFor(async () => {
      const [stored] = await app.database.db
        .select({ content: messages.content })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'ai')));
      expect(stored?.content).toBe(answer);
    });
  });
});
