const encoder = new TextEncoder();

export interface EventStreamOptions {
  /** Comment lines keep proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** Runs with each keep-alive; resolving to `false` ends the stream (e.g. the session ended). */
  onHeartbeat?: () => Promise<boolean>;
}

/**
 * A Server-Sent Events response. `start` gets a `send` function and returns the cleanup to run
 * when the client goes away.
 */
export function eventStreamResponse(
  signal: AbortSignal,
  start: (send: (event: string, data: unknown) => void) => Promise<() => void>,
  { heartbeatMs = 15_000, onHeartbeat }: EventStreamOptions = {},
): Response {
  let cleanup: (() => void) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      const close = () => {
        if (closed) return;
        closed = true;
        if (heartbeat) clearInterval(heartbeat);
        cleanup?.();
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      };
      signal.addEventListener('abort', close, { once: true });
      cleanup = await start((event, data) =>
        write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      );
      if (closed) cleanup();
      write('retry: 2000\n: connected\n\n');
      heartbeat = setInterval(() => {
        write(': ping\n\n');
        void Promise.resolve(onHeartbeat?.())
          .then((open) => {
            if (open === false) close();
          })
          .catch(() => {});
      }, heartbeatMs);
    },
    cancel() {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      cleanup?.();
    },
  });

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
