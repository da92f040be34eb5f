import { NextRequest } from 'next/server';
import { proxy } from '@/proxy';
import type { RouteHandler } from './discover-routes';
import { showInvisible } from './malformed-bodies';

export const ORIGIN = 'http://localhost:3000';

export interface Outgoing {
  method: string;
  /** Path and query as written on the wire. */
  path: string;
  headers: Record<string, string>;
  body?: string | FormData | Uint8Array;
}

export interface Answered {
  status: number;
  contentType: string;
  text: string;
  requestId: string | null;
  /** Who answered: the proxy in front, Next itself (a path it cannot decode), or the route. */
  by: 'proxy' | 'next' | 'route';
}

/** How long one request may take before it counts as hung. */
const ANSWER_WITHIN_MS = 30_000;

/**
 * Sends one request the way Next would: through proxy() first (its own answer, if it gives one, is
 * the response), then the path's dynamic segments decoded as Next's route matcher does, then the
 * route handler, in-process. Streamed answers are read to their end; event streams are left open
 * only long enough to see their first bytes.
 */
export async function sendThroughNext(
  handler: RouteHandler,
  template: string,
  outgoing: Outgoing,
): Promise<Answered> {
  const url = `${ORIGIN}${outgoing.path}`;
  const init = { method: outgoing.method, headers: outgoing.headers };
  const proxied = await proxy(new NextRequest(url, init));
  if (!proxied.headers.has('x-middleware-next')) return answered(proxied, 'proxy', false);

  const pathname = new URL(url).pathname;
  const params = matchParams(template, pathname);
  if (params === null) {
    // Next's matcher throws DecodeError here and renders its HTML 400 page.
    return {
      status: 400,
      contentType: 'text/html',
      text: 'Next could not decode a path segment and would answer with its HTML error page',
      requestId: null,
      by: 'next',
    };
  }
  const headers = new Headers(outgoing.headers);
  for (const name of proxied.headers.get('x-middleware-override-headers')?.split(',') ?? []) {
    const value = proxied.headers.get(`x-middleware-request-${name}`);
    if (value !== null) headers.set(name, value);
  }
  const request = new NextRequest(url, {
    method: outgoing.method,
    headers,
    body: outgoing.body,
    ...(outgoing.body === undefined ? {} : { duplex: 'half' }),
  } as ConstructorParameters<typeof NextRequest>[1]);
  const response = await within(
    handler(request, { params: Promise.resolve(params) }),
    `${outgoing.method} ${template} did not answer`,
  );
  const isEventStream =
    outgoing.method === 'GET' &&
    (response.headers.get('content-type') ?? '').includes('text/event-stream');
  return answered(response, 'route', isEventStream);
}

/**
 * Next's route matcher: each dynamic segment percent-decoded (a catch-all's as a list), or null
 * when one cannot be decoded.
 */
export function matchParams(
  template: string,
  pathname: string,
): Record<string, string | string[]> | null {
  const names = template.split('/');
  const segments = pathname.split('/');
  const params: Record<string, string | string[]> = {};
  try {
    for (const [index, name] of names.entries()) {
      const catchAll = /^\[\.\.\.([^\]]+)\]$/.exec(name);
      if (catchAll) {
        params[catchAll[1]!] = segments.slice(index).map((s) => decodeURIComponent(s));
        break;
      }
      const match = /^\[([^\]]+)\]$/.exec(name);
      if (match) params[match[1]!] = decodeURIComponent(segments[index] ?? '');
    }
  } catch {
    return null;
  }
  return params;
}

async function answered(
  response: Response,
  by: Answered['by'],
  eventStream: boolean,
): Promise<Answered> {
  let text: string;
  if (eventStream) {
    // A live event stream never ends: its first bytes are enough, then hang up.
    const reader = response.body?.getReader();
    const first = reader
      ? await Promise.race([
          reader.read(),
          new Promise<{ value: undefined }>((r) => setTimeout(() => r({ value: undefined }), 200)),
        ])
      : { value: undefined };
    await reader?.cancel().catch(() => {});
    text = first.value ? new TextDecoder().decode(first.value) : '';
  } else {
    text = await within(response.text(), 'the response body did not end');
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    requestId: response.headers.get('x-request-id'),
    by,
  };
}

function within<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${message} within ${ANSWER_WITHIN_MS / 1000} s`)),
        ANSWER_WITHIN_MS,
      );
    }),
  ]);
}

const ERROR_CODE = /^[a-z_]+:[a-z0-9_.-]+$/;

/**
 * What is wrong with a response, or null: a status of 500 or more, an error that is not JSON
 * `{ error: { code: 'type:surface', message } }` with a request id, or a streamed answer that
 * broke off with an error after its 200.
 */
export function problemWith(answer: Answered): string | null {
  if (answer.by === 'next') return `${answer.status} from Next: ${answer.text}`;
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status >= 400) {
    if (!answer.contentType.includes('application/json'))
      return `error is not JSON (content-type ${answer.contentType || 'none'})`;
    let body: { error?: { code?: unknown; message?: unknown } };
    try {
      body = JSON.parse(answer.text);
    } catch {
      return 'error body does not parse as JSON';
    }
    const code = body?.error?.code;
    if (typeof code !== 'string' || !ERROR_CODE.test(code))
      return `error code ${JSON.stringify(code)} is not type:surface`;
    if (typeof body.error?.message !== 'string' || !body.error.message)
      return 'error has no message';
    if (!answer.requestId) return 'error response has no x-request-id';
    return null;
  }
  if (answer.contentType.includes('text/event-stream')) {
    for (const line of answer.text.split('\n')) {
      if (!line.startsWith('data: ')) continue;
      try {
        const chunk = JSON.parse(line.slice(6)) as { type?: string; errorText?: string };
        if (chunk.type === 'error') return `stream broke off: ${chunk.errorText ?? 'error chunk'}`;
      } catch {}
    }
  }
  if (answer.contentType.includes('ndjson')) {
    for (const line of answer.text.split('\n')) {
      try {
        const event = JSON.parse(line) as { type?: string; error?: { code?: string } };
        const code = event.error?.code ?? '';
        if (
          event.type === 'error' &&
          (!ERROR_CODE.test(code) || /^(internal|unavailable):/.test(code))
        )
          return `stream ended with ${code || 'an error without a code'}`;
      } catch {}
    }
  }
  return null;
}

/** The start of a response body, printable. */
export const excerpt = (text: string, max = 300) =>
  showInvisible(text.length > max ? `${text.slice(0, max)}…` : text);
