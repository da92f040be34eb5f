import { describe, expect, it } from 'vitest';
import { eventStreamResponse } from '@/lib/events/event-stream';

const readAll = (response: Response) => new Response(response.body).text();

describe('eventStreamResponse', () => {
  it('ends the stream when a keep-alive says the connection may no longer stay open', async () => {
    let beats = 0;
    let cleanedUp = false;
    const response = eventStreamResponse(
      new AbortController().signal,
      async (send) => {
        send('hello', { n: 1 });
        return () => {
          cleanedUp = true;
        };
      },
      { heartbeatMs: 5, onHeartbeat: async () => ++beats < 3 },
    );
    const text = await readAll(response);
    expect(text).toContain('event: hello\ndata: {"n":1}');
    expect(text.match(/: ping/g)).toHaveLength(3);
    expect(beats).toBe(3);
    expect(cleanedUp).toBe(true);
  });

  it('stays open through keep-alives that fail, until the client goes away', async () => {
    const client = new AbortController();
    let beats = 0;
    const response = eventStreamResponse(client.signal, async () => () => {}, {
      heartbeatMs: 5,
      onHeartbeat: async () => {
        if (++beats === 3) client.abort();
        throw new Error('database unavailable');
      },
    });
    await readAll(response);
    expect(beats).toBeGreaterThanOrEqual(3);
  });
});
