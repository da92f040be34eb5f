import { lookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import type { ActionCallRequest, ActionCallResponse } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import {
  isPublicAddress,
  pinnedLookup,
  type ResolvedAddress,
  resolveTarget,
} from '@/lib/kb/fetch-url';
import type { HttpActionDefinition } from './definition';
import { decryptSecret, SECRET_MASK } from './secrets';
import { pickPaths, renderBody, renderHeader, renderUrl, type TemplateValues } from './template';

/** Where actions may send requests, beyond public addresses. */
export interface ActionNetwork {
  /** Every private address allowed (TANDEM_ALLOW_PRIVATE_URLS, as for knowledge-base URLs). */
  allowPrivateNetworks: boolean;
  /** Host names (`*.x` for subdomains), addresses and CIDR ranges (TANDEM_ACTIONS_ALLOWED_HOSTS). */
  allowedHosts: string[];
  /** Host name → addresses; the system resolver unless a test substitutes one. */
  resolveHost?: (hostname: string) => Promise<ResolvedAddress[]>;
  /**
   * The desk's own routes answered in the same process, for a desk that serves no HTTP (a test
   * sandbox): a request for exactly this origin never reaches the network, so it needs no
   * address allowance. Every other request is guarded and sent as usual.
   */
  ownOrigin?: { origin: string; serve: (request: Request) => Promise<Response> };
}

export interface HttpCallResult {
  /** The request as staff may see it: secret header values masked. */
  request: ActionCallRequest;
  /** The HTTP status and only the allowlisted fields; absent when no answer came. */
  response?: ActionCallResponse;
  /** Why the call did not succeed, in words for staff and the customer. */
  error?: string;
  /** The whole answer for the admin's Test, cut short and with secrets masked; never stored. */
  raw?: { contentType: string | null; text: string; truncated: boolean };
}

const RAW_PREVIEW_CHARS = 20_000;

interface PreparedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  /** Secret values sent, to mask wherever they might be echoed back. */
  secretValues: string[];
  masked: ActionCallRequest;
}

/** The request an action makes for these values, with its secrets decrypted only in `headers`. */
export function prepareHttpRequest(
  action: HttpActionDefinition,
  stored: { secrets: Record<string, string>; appSecret: string },
  values: TemplateValues,
): PreparedRequest {
  const { http: config } = action;
  let url: URL;
  try {
    url = new URL(renderUrl(config.url, values));
  } catch {
    throw new TandemError('bad_request:action', 'The action address is not a valid URL.');
  }
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-encoding': 'identity',
    'user-agent': 'TandemBot/1.0 (action)',
  };
  const maskedHeaders: Record<string, string> = { ...headers };
  const secretValues: string[] = [];
  for (const header of config.headers) {
    const key = header.name.toLowerCase();
    if (header.secret) {
      const sealed = stored.secrets[key];
      if (!sealed) {
        throw new TandemError(
          'bad_request:action',
          `The secret header ${header.name} has no value.`,
        );
      }
      const value = decryptSecret(stored.appSecret, key, sealed);
      headers[key] = value;
      secretValues.push(value);
      maskedHeaders[key] = SECRET_MASK;
    } else {
      const value = renderHeader(header.value ?? '', values);
      headers[key] = value;
      maskedHeaders[key] = value;
    }
  }
  let body: string | null = null;
  if (config.body !== null && config.method !== 'GET') {
    body = JSON.stringify(renderBody(config.body, values));
    headers['content-type'] ??= 'application/json';
    maskedHeaders['content-type'] ??= headers['content-type'];
  }
  const masked = {
    method: config.method,
    url: maskText(url.href, secretValues),
    headers: maskedHeaders,
    body: body === null ? null : maskText(body, secretValues),
  };
  return { url, method: config.method, headers, body, secretValues, masked };
}

interface Exchange {
  status: number;
  statusMessage: string;
  contentType: string | null;
  text: string;
}

type Outgoing = Pick<PreparedRequest, 'url' | 'method' | 'headers' | 'body'>;

/**
 * One request and its whole answer: the address guard on the resolved address (and the
 * connection pinned to it), no redirects followed, a timeout over everything and a size cap.
 * Throws a TandemError in words for staff when no answer came.
 */
async function exchange(
  request: Outgoing,
  network: ActionNetwork,
  { timeoutMs, maxBytes }: { timeoutMs: number; maxBytes: number },
): Promise<Exchange> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    if (request.url.protocol !== 'http:' && request.url.protocol !== 'https:') {
      throw new TandemError(
        'bad_request:action',
        'Only http:// and https:// addresses are called.',
      );
    }
    if (network.ownOrigin && request.url.origin === network.ownOrigin.origin) {
      return await exchangeInProcess(request, network.ownOrigin.serve, signal, maxBytes);
    }
    const target = await guardTarget(request.url, network);
    const response = await send(request, target, signal);
    const bytes = await readCapped(response, maxBytes);
    return {
      status: response.statusCode ?? 0,
      statusMessage: response.statusMessage ?? '',
      contentType: response.headers['content-type'] ?? null,
      text: bytes.toString('utf8'),
    };
  } catch (error) {
    if (error instanceof TandemError) throw error;
    throw new TandemError(
      'bad_request:action',
      describeFailure(error, signal, timeoutMs, maxBytes),
    );
  }
}

/** The same exchange with a route of this process: same timeout, size cap and no redirects. */
async function exchangeInProcess(
  request: Outgoing,
  serve: (request: Request) => Promise<Response>,
  signal: AbortSignal,
  maxBytes: number,
): Promise<Exchange> {
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  // Raced below; once the exchange is over, a later timeout has no one left to tell.
  aborted.catch(() => {});
  const response = await Promise.race([
    serve(
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal,
      }),
    ),
    aborted,
  ]);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new TooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await Promise.race([reader.read(), aborted]);
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return {
    status: response.status,
    statusMessage: response.statusText,
    contentType: response.headers.get('content-type'),
    text: Buffer.concat(chunks).toString('utf8'),
  };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Makes the action's request and keeps only the allowlisted fields of a JSON answer. Failures
 * of the far side (refused address, timeout, an error status) come back as `error`, not thrown.
 */
export async function executeHttpAction(
  action: HttpActionDefinition,
  stored: { secrets: Record<string, string>; appSecret: string },
  values: TemplateValues,
  network: ActionNetwork,
): Promise<HttpCallResult> {
  const prepared = prepareHttpRequest(action, stored, values);
  const { responseFields } = action.http;
  const result: HttpCallResult = { request: prepared.masked };
  let answer: Exchange;
  try {
    answer = await exchange(prepared, network, action.http);
  } catch (error) {
    return { ...result, error: (error as Error).message };
  }
  const { status, text } = answer;
  const masked = maskText(text, prepared.secretValues);
  result.raw = {
    contentType: answer.contentType,
    text: masked.slice(0, RAW_PREVIEW_CHARS),
    truncated: masked.length > RAW_PREVIEW_CHARS,
  };
  const parsed = parseJson(text);
  // Only what the admin allowlisted leaves this function; a secret echoed back stays masked.
  const data = parsed.ok
    ? maskValue(pickPaths(parsed.value, responseFields), prepared.secretValues)
    : {};
  result.response = { status, data };
  if (status >= 300 && status < 400) {
    result.error = `The service redirected (${status}); use the final address in the action.`;
  } else if (status < 200 || status >= 300) {
    result.error = `The service answered ${status}${answer.statusMessage ? ` ${answer.statusMessage}` : ''}.`;
  } else if (!parsed.ok && text.trim() !== '' && responseFields.length > 0) {
    result.error = 'The service did not answer with JSON.';
  }
  return result;
}

/** A JSON document (an OpenAPI description) fetched under the same guard as actions. */
export async function fetchJsonDocument(
  raw: string,
  network: ActionNetwork,
  limits = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024 },
): Promise<unknown> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new TandemError('bad_request:action', `"${raw}" is not a valid web address.`);
  }
  const answer = await exchange(
    {
      url,
      method: 'GET',
      headers: {
        accept: 'application/json',
        'accept-encoding': 'identity',
        'user-agent': 'TandemBot/1.0 (action import)',
      },
      body: null,
    },
    network,
    limits,
  );
  if (answer.status < 200 || answer.status >= 300) {
    throw new TandemError('bad_request:action', `${url.href} answered ${answer.status}.`);
  }
  const parsed = parseJson(answer.text);
  if (!parsed.ok) {
    throw new TandemError(
      'bad_request:action',
      `${url.href} is not a JSON document; only JSON OpenAPI documents can be imported.`,
    );
  }
  return parsed.value;
}

/** The address to connect to, refused unless public or allowed for actions. */
export async function guardTarget(url: URL, network: ActionNetwork): Promise<ResolvedAddress> {
  let seen: ResolvedAddress[] = [];
  const resolveHost = async (hostname: string) => {
    seen = await (network.resolveHost ?? resolveWithSystem)(hostname);
    return seen;
  };
  // resolveTarget's own refusal is what applies without an allowance; with one, every
  // address is checked here against the allowance instead.
  const allowing = network.allowPrivateNetworks || network.allowedHosts.length > 0;
  const target = await resolveTarget(url, { allowPrivateNetworks: allowing, resolveHost }).catch(
    (error: unknown) => {
      throw error instanceof TandemError
        ? new TandemError(
            error.code.startsWith('forbidden') ? 'forbidden:action' : 'bad_request:action',
            error.message.replace(/; only public web addresses can be imported\.$/, '.'),
          )
        : error;
    },
  );
  if (network.allowPrivateNetworks) return target;
  const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const addresses = seen.length > 0 ? seen : [target];
  const refused = addresses.find(
    ({ address }) =>
      !isPublicAddress(address) && !isAllowed(hostname, address, network.allowedHosts),
  );
  if (refused) {
    throw new TandemError(
      'forbidden:action',
      `${url.host} points to a private or local network address (${refused.address}); add it to TANDEM_ACTIONS_ALLOWED_HOSTS to let actions call it.`,
    );
  }
  return target;
}

function isAllowed(hostname: string, address: string, allowed: string[]): boolean {
  return allowed.some((entry) => {
    if (entry.startsWith('*.')) return hostname.endsWith(entry.slice(1));
    if (entry === hostname) return true;
    try {
      // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it reaches.
      const ip = ipaddr.process(address);
      if (entry.includes('/')) {
        const [range, bits] = ipaddr.parseCIDR(entry);
        return ip.kind() === range.kind() && ip.match(range, bits);
      }
      return ipaddr.isValid(entry) && ipaddr.process(entry).toString() === ip.toString();
    } catch {
      return false;
    }
  });
}

async function resolveWithSystem(hostname: string): Promise<ResolvedAddress[]> {
  const results = await lookup(hostname, { all: true, verbatim: true });
  return results.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

function send(
  prepared: Outgoing,
  target: ResolvedAddress,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const client = prepared.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(prepared.url, {
      method: prepared.method,
      agent: false,
      // The guarded address is handed to the socket: no second DNS answer can redirect the call.
      lookup: pinnedLookup(target),
      signal,
      headers: {
        ...prepared.headers,
        ...(prepared.body === null
          ? {}
          : { 'content-length': String(Buffer.byteLength(prepared.body)) }),
      },
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end(prepared.body ?? undefined);
  });
}

class TooLarge extends Error {}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new TooLarge();
  }
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    response.destroy();
    throw new TandemError('bad_request:action', `The service sent a ${encoding}-encoded answer.`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      response.destroy();
      throw new TooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function describeFailure(
  error: unknown,
  signal: AbortSignal,
  timeoutMs: number,
  maxBytes: number,
): string {
  if (error instanceof TandemError) return error.message;
  if (error instanceof TooLarge) return `The answer was larger than the ${maxBytes} byte limit.`;
  if (signal.aborted) return `The service did not answer within ${timeoutMs} ms.`;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') return 'The service refused the connection.';
  if (code === 'ECONNRESET') return 'The connection was reset.';
  if (code.startsWith('ERR_TLS') || /CERT|SIGNATURE/.test(code)) {
    return 'The service’s TLS certificate is not valid.';
  }
  return `The request failed${code ? ` (${code})` : ''}.`;
}

/** Replaces every occurrence of a secret value, however it was echoed back. */
export function maskText(text: string, secretValues: string[]): string {
  let out = text;
  for (const secret of secretValues) {
    if (secret.length >= 4) out = out.split(secret).join(SECRET_MASK);
  }
  return out;
}

function maskValue(value: unknown, secretValues: string[]): unknown {
  if (secretValues.length === 0) return value;
  if (typeof value === 'string') return maskText(value, secretValues);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, secretValues));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        maskText(key, secretValues),
        maskValue(v, secretValues),
      ]),
    );
  }
  return value;
}
