import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** One virtual client: its own customer cookie and its place in the question rotation. */
export interface Session {
  cookie?: string;
  sent: number;
}

export interface Endpoint {
  name: string;
  path: string;
  /** A complete, successful body contains this near its end. */
  marker: string;
  createInit(session: Session): RequestInit;
}

export interface Samples {
  latenciesMs: number[];
  ttfbsMs: number[];
  errors: Map<string, number>;
  elapsedMs: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const CUSTOMER_COOKIE = 'tandem_customer';

export const QUESTIONS = [
  'How do I reset my password?',
  'How long do refunds take?',
  'Where is my order?',
  'Can I pay with PayNow?',
  'How do I cancel my subscription?',
];

export const healthEndpoint: Endpoint = {
  name: 'health',
  path: '/api/health',
  marker: '"status":"ok"',
  createInit: () => ({ method: 'GET' }),
};

// No conversationId: every request starts a new conversation so the history stays empty.
export const chatEndpoint: Endpoint = {
  name: 'chat',
  path: '/api/chat',
  marker: 'data: [DONE]',
  createInit(session) {
    const text = QUESTIONS[session.sent % QUESTIONS.length];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (session.cookie) headers.cookie = session.cookie;
    const message = { id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] };
    return { method: 'POST', headers, body: JSON.stringify({ message }) };
  },
};

export function createSessions(count: number): Session[] {
  return Array.from({ length: count }, (_, i) => ({ sent: i }));
}

/**
 * Closed loop: each session sends its next request as soon as the previous one ends. With several
 * servers, session i always talks to server i mod n, as a sticky load balancer would place it.
 */
export async function runClients(
  baseUrls: string[],
  endpoint: Endpoint,
  sessions: Session[],
  durationMs: number,
  stop: AbortSignal,
): Promise<Samples> {
  const samples: Samples = { latenciesMs: [], ttfbsMs: [], errors: new Map(), elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    sessions.map(async (session, i) => {
      const url = `${baseUrls[i % baseUrls.length]}${endpoint.path}`;
      while (performance.now() < deadline && !stop.aborted) {
        await sendRequest(url, endpoint, session, samples, stop);
      }
    }),
  );
  samples.elapsedMs = performance.now() - started;
  return samples;
}

async function sendRequest(
  url: string,
  endpoint: Endpoint,
  session: Session,
  samples: Samples,
  stop: AbortSignal,
): Promise<void> {
  const init = endpoint.createInit(session);
  session.sent++;
  const request = createRequestSignal(stop, REQUEST_TIMEOUT_MS);
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: request.signal });
    rememberCookie(session, response.headers);
    const body = await readBody(response.body, started, endpoint.marker.length + 32);
    const latencyMs = performance.now() - started;
    if (response.status !== 200) return countError(samples, `HTTP ${response.status}`);
    if (!body.tail.includes(endpoint.marker)) return countError(samples, `no ${endpoint.marker}`);
    samples.latenciesMs.push(latencyMs);
    samples.ttfbsMs.push(body.ttfbMs);
  } catch (error) {
    countError(samples, describeError(error));
  } finally {
    request.release();
  }
}

/**
 * Fires on timeout or when the run stops. Aborting in-flight requests closes their connections,
 * which a shutting-down server would otherwise keep open until its keep-alive timeout.
 */
function createRequestSignal(stop: AbortSignal, timeoutMs: number) {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('request timed out', 'TimeoutError')),
    timeoutMs,
  );
  const abort = () => controller.abort(stop.reason);
  stop.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer);
      stop.removeEventListener('abort', abort);
    },
  };
}

/** Reads the body chunk by chunk, keeping only its time to first byte and its last characters. */
async function readBody(
  body: ReadableStream<Uint8Array> | null,
  started: number,
  keepChars: number,
): Promise<{ ttfbMs: number; tail: string }> {
  if (!body) return { ttfbMs: performance.now() - started, tail: '' };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let ttfbMs: number | undefined;
  let tail = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    ttfbMs ??= performance.now() - started;
    tail = (tail + decoder.decode(value, { stream: true })).slice(-keepChars);
  }
  return { ttfbMs: ttfbMs ?? performance.now() - started, tail };
}

function rememberCookie(session: Session, headers: Headers): void {
  const cookie = headers
    .getSetCookie()
    .find((line) => line.startsWith(`${CUSTOMER_COOKIE}=`))
    ?.split(';')[0];
  if (cookie) session.cookie = cookie;
}

function countError(samples: Samples, kind: string): void {
  samples.errors.set(kind, (samples.errors.get(kind) ?? 0) + 1);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `timeout after ${REQUEST_TIMEOUT_MS / 1000} s`;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  return code ?? error.message;
}
