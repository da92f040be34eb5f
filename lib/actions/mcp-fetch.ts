import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, Readable, Transform } from 'node:stream';
import { TandemError } from '@/lib/errors';
import { pinnedLookup } from '@/lib/kb/fetch-url';
import { type ActionNetwork, guardTarget } from './http';

/*
 * The fetch an MCP client uses: every request (the POSTs that carry messages, the GET of the
 * server's event stream, the closing DELETE) goes through the actions' address guard, its socket
 * pinned to the address that was checked, no redirect followed, each answer capped in size.
 * Answers stream, as Streamable HTTP needs for server-sent events.
 */

export type GuardedFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

const NO_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function guardedFetch(network: ActionNetwork, { maxBytes }: { maxBytes: number }) {
  const fetchGuarded: GuardedFetch = async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input.href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TandemError(
        'bad_request:action',
        'Only http:// and https:// addresses are called.',
      );
    }
    const target = await guardTarget(url, network);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    headers['accept-encoding'] = 'identity';
    headers['user-agent'] ??= 'TandemBot/1.0 (mcp)';
    const body = bodyText(init.body);
    if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
    const client = url.protocol === 'https:' ? https : http;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = client.request(url, {
        method: init.method ?? 'GET',
        agent: false,
        lookup: pinnedLookup(target),
        signal: init.signal ?? undefined,
        headers,
      });
      request.once('response', resolve);
      request.once('error', reject);
      request.end(body ?? undefined);
    });
    const status = response.statusCode ?? 502;
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      throw new TandemError(
        'bad_request:action',
        `The MCP server's answer was larger than the ${maxBytes} byte limit.`,
      );
    }
    const encoding = response.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      response.destroy();
      throw new TandemError(
        'bad_request:action',
        `The MCP server sent a ${encoding}-encoded answer.`,
      );
    }
    const hasBody = !NO_BODY_STATUSES.has(status) && init.method !== 'HEAD';
    let stream: ReadableStream | null = null;
    if (hasBody) {
      // pipeline: an aborted answer fails the stream, a cancelled stream closes the socket.
      const limited = capped(maxBytes);
      pipeline(response, limited, () => {});
      stream = Readable.toWeb(limited) as ReadableStream;
    } else {
      response.resume();
    }
    return new Response(stream, {
      status,
      statusText: response.statusMessage ?? '',
      headers: headersOf(response.headers),
    });
  };
  return fetchGuarded;
}

function bodyText(body: RequestInit['body']): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new TandemError('internal:action', 'The MCP client sent a body of an unexpected kind.');
}

/** Passes bytes through until `maxBytes`, then fails the stream. */
function capped(maxBytes: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > maxBytes) {
        done(
          new TandemError(
            'bad_request:action',
            `The MCP server's answer was larger than the ${maxBytes} byte limit.`,
          ),
        );
        return;
      }
      done(null, chunk);
    },
  });
}

function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}
