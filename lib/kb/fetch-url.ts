import { lookup as systemLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import ipaddr from 'ipaddr.js';
import { TandemError } from '@/lib/errors';
import type { Article } from '@/lib/kb/article';
import { extractDocument, SUPPORTED_MEDIA_TYPES } from '@/lib/kb/extract';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface FetchDocumentOptions {
  /** Lets a self-hosted desk import from its intranet; off by default because it enables SSRF. */
  allowPrivateNetworks?: boolean;
  /** Largest body accepted, after decompression. */
  maxBytes?: number;
  /** Budget for the whole fetch: every redirect hop and the body. */
  timeoutMs?: number;
  /** Host name → addresses. Defaults to the system resolver; tests substitute their own. */
  resolveHost?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export const DEFAULT_URL_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_URL_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Only 2000::/3 is allocated as global unicast; everything else in IPv6 is special-purpose. */
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * Downloads a web page or file and extracts it as an Article. Every hop of a redirect chain is
 * resolved and checked, and the connection goes to exactly the address that was checked, so a
 * host cannot pass the check with a public address and then be re-resolved (DNS rebinding) to
 * an internal one such as a cloud metadata endpoint.
 */
export async function fetchDocument(
  url: string,
  options: FetchDocumentOptions = {},
): Promise<Article> {
  const { bytes, mediaType, finalUrl } = await downloadDocument(url, options);
  const article = await extractDocument({ filename: finalUrl, mediaType, bytes });
  return { ...article, sourceType: 'url', origin: finalUrl };
}

/** Whether an address is publicly routable: not loopback, private, link-local, CGNAT, ULA, … */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it reaches.
  const parsed = ipaddr.process(address);
  if (parsed.range() !== 'unicast') return false;
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(IPV6_GLOBAL_UNICAST);
}

/** The raw bytes at `url`, under the same address, redirect and size rules as fetchDocument. */
export async function downloadDocument(
  url: string,
  options: FetchDocumentOptions,
): Promise<{ bytes: Uint8Array; mediaType?: string; finalUrl: string }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_URL_MAX_BYTES;
  const signal = AbortSignal.timeout(timeoutMs);
  let current = parseHttpUrl(url);

  for (let redirects = 0; ; redirects++) {
    const target = await resolveTarget(current, options);
    const response = await send(current, target, signal, timeoutMs);
    const status = response.statusCode ?? 0;

    if (REDIRECT_STATUSES.has(status)) {
      response.resume();
      const location = response.headers.location;
      if (!location) {
        throw new TandemError('bad_request:url', `${current.href} redirected without a location.`);
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new TandemError(
          'bad_request:url',
          `${url} redirected more than ${MAX_REDIRECTS} times; use the final address instead.`,
        );
      }
      current = parseHttpUrl(new URL(location, current).href);
      continue;
    }
    if (status < 200 || status > 299) {
      response.resume();
      throw new TandemError(
        'bad_request:url',
        `${current.href} answered ${status} ${response.statusMessage ?? ''}`.trim(),
      );
    }
    const bytes = await readBody(response, current, maxBytes, signal, timeoutMs);
    return { bytes, mediaType: response.headers['content-type'], finalUrl: current.href };
  }
}

function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new TandemError('bad_request:url', `"${raw}" is not a valid web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TandemError(
      'bad_request:url',
      `Only http:// and https:// addresses can be imported, not ${url.protocol}//.`,
    );
  }
  url.hash = '';
  return url;
}

/**
 * Resolves the host and refuses it when any of its addresses is non-public. Other outbound
 * requests (webhooks) use it too, connecting to the address it returns.
 */
export async function resolveTarget(
  url: URL,
  options: FetchDocumentOptions,
): Promise<ResolvedAddress> {
  // URL keeps IPv6 literals in brackets: "[::1]".
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(hostname)) {
    addresses = [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolveHost ?? resolveWithSystem)(hostname);
    } catch {
      throw new TandemError('bad_request:url', `Could not find the host ${hostname}.`);
    }
  }
  if (addresses.length === 0) {
    throw new TandemError('bad_request:url', `Could not find the host ${hostname}.`);
  }
  if (!options.allowPrivateNetworks) {
    // One internal address is enough to refuse: which one a client picks is not ours to control.
    const internal = addresses.find(({ address }) => !isPublicAddress(address));
    if (internal) {
      throw new TandemError(
        'forbidden:url',
        `${url.host} points to a private or local network address (${internal.address}); only public web addresses can be imported.`,
      );
    }
  }
  return addresses[0]!;
}

async function resolveWithSystem(hostname: string): Promise<ResolvedAddress[]> {
  const results = await systemLookup(hostname, { all: true, verbatim: true });
  return results.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

/**
 * A socket lookup that answers only with the checked address, so no second DNS answer is ever
 * used. Other outbound requests (actions) connect through it too.
 */
export function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
}

function send(
  url: URL,
  target: ResolvedAddress,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'GET',
      // A pooled socket could have been opened for an earlier, different resolution.
      agent: false,
      lookup: pinnedLookup(target),
      signal,
      headers: {
        accept: `${SUPPORTED_MEDIA_TYPES.join(', ')}, */*;q=0.1`,
        'accept-encoding': 'gzip, deflate, br',
        'user-agent': 'TandemBot/1.0 (knowledge base import)',
      },
    });
    request.once('response', resolve);
    request.once('error', (error) => reject(toUrlError(error, url, signal, timeoutMs)));
    request.end();
  });
}

async function readBody(
  response: IncomingMessage,
  url: URL,
  maxBytes: number,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Uint8Array> {
  const tooLarge = () =>
    new TandemError(
      'payload_too_large:url',
      `${url.href} is larger than the ${formatBytes(maxBytes)} limit for imported pages.`,
    );
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const body = decoded(response);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      total += (chunk as Buffer).length;
      // Counted after decompression, so a small gzip bomb cannot expand past the limit.
      if (total > maxBytes) {
        response.destroy();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw toUrlError(error, url, signal, timeoutMs);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function decoded(response: IncomingMessage): Readable {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  // pipeline (unlike pipe) forwards a failure on either side to the stream being read.
  return decoder ? pipeline(response, decoder, () => {}) : response;
}

function toUrlError(error: unknown, url: URL, signal: AbortSignal, timeoutMs: number): Error {
  if (error instanceof TandemError) return error;
  if (signal.aborted) {
    return new TandemError(
      'bad_request:url',
      `${url.href} did not respond within ${timeoutMs / 1000} seconds.`,
    );
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason =
    code === 'ECONNREFUSED'
      ? 'the server refused the connection'
      : code === 'ECONNRESET'
        ? 'the connection was reset'
        : code.startsWith('ERR_TLS') || /CERT|SIGNATURE/.test(code)
          ? 'its TLS certificate is not valid'
          : code.startsWith('Z_') || code.startsWith('ERR__ERROR_FORMAT')
            ? 'the server sent a corrupt compressed body'
            : `the request failed (${code || (error instanceof Error ? error.message : String(error))})`;
  return new TandemError('bad_request:url', `${url.href} could not be fetched: ${reason}.`);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}
