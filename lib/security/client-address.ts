import ipaddr from 'ipaddr.js';
import type { Config, TrustedProxies } from '@/lib/config';
import { log } from '@/lib/log';

/**
 * The address of the TCP peer, written by Tandem's server (scripts/start.mjs) on every request
 * over any value a client sent. Next's route handlers cannot see the socket, and `next start`
 * copies the peer into X-Forwarded-For only when the client sent none.
 */
export const PEER_ADDRESS_HEADER = 'x-tandem-peer-address';

/** Set on globalThis by scripts/start.mjs: only then is {@link PEER_ADDRESS_HEADER} its own. */
export const PEER_ADDRESS_MARKER = Symbol.for('tandem.peerAddressHeader');

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/**
 * The client's address: the right-most X-Forwarded-For entry not added by a trusted proxy, the
 * peer counting as the last entry. With no trusted proxies X-Forwarded-For is ignored and the
 * peer is the client. Addresses come back normalised (`::ffff:1.2.3.4` → `1.2.3.4`, IPv6
 * compressed and lower-case) so one client is one rate-limit key; 'unknown' when nothing says.
 */
export function clientAddress(request: Request, config: Config): string {
  const trusted = config.trustedProxies;
  const peer = peerAddress(request.headers, trusted);
  if (trusted.kind === 'none') return peer ?? 'unknown';
  const chain = forwardedFor(request.headers);
  if (peer !== undefined) chain.push(peer);
  if (chain.length === 0) return 'unknown';
  if (trusted.kind === 'hops') {
    // Without a peer of our own, Next's X-Forwarded-For ends with what the nearest proxy wrote.
    const skip = peer === undefined ? trusted.hops - 1 : trusted.hops;
    return chain[Math.max(0, chain.length - 1 - skip)]!;
  }
  const ranges = rangesOf(trusted);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!isTrusted(chain[i]!, ranges)) return chain[i]!;
  }
  // Every hop is a trusted proxy: the furthest one is the best there is.
  return chain[0]!;
}

function peerAddress(headers: Headers, trusted: TrustedProxies): string | undefined {
  if ((globalThis as Record<symbol, unknown>)[PEER_ADDRESS_MARKER] === true) {
    return normaliseEntry(headers.get(PEER_ADDRESS_HEADER) ?? '');
  }
  warnPeerUnknown();
  // `next start` or `next dev`: Next put the peer in X-Forwarded-For only if the client sent
  // none, so this is the peer for honest clients and whatever a forger wrote otherwise.
  if (trusted.kind !== 'none') return undefined;
  return forwardedFor(headers).at(-1);
}

let warned = false;
function warnPeerUnknown() {
  if (warned) return;
  warned = true;
  log.warn(
    'client addresses come from X-Forwarded-For, which a client can forge: serve Tandem with `npm start` (scripts/start.mjs), which records the connection address',
  );
}

/** The X-Forwarded-For entries, left to right, each normalised. */
function forwardedFor(headers: Headers): string[] {
  const header = headers.get('x-forwarded-for');
  if (!header) return [];
  return header
    .split(',')
    .map(normaliseEntry)
    .filter((entry): entry is string => entry !== undefined);
}

/**
 * One address, without the port some proxies add (`1.2.3.4:5678`, `[2001:db8::1]:443`) and in
 * canonical form; an entry that is no address stays as written (capped) so it still counts.
 */
function normaliseEntry(raw: string): string | undefined {
  let entry = raw.trim();
  if (entry === '') return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) entry = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(entry)) entry = entry.slice(0, entry.lastIndexOf(':'));
  const address = parseAddress(entry);
  return address ? address.toString() : entry.slice(0, 64);
}

function parseAddress(entry: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(entry)) return ipaddr.IPv4.parse(entry);
  if (!ipaddr.IPv6.isValid(entry)) return undefined;
  const address = ipaddr.IPv6.parse(entry);
  return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

const parsedRanges = new WeakMap<TrustedProxies, Range[]>();

function rangesOf(trusted: Extract<TrustedProxies, { kind: 'ranges' }>): Range[] {
  let ranges = parsedRanges.get(trusted);
  if (!ranges) {
    ranges = trusted.ranges.map(parseRange);
    parsedRanges.set(trusted, ranges);
  }
  return ranges;
}

function parseRange(entry: string): Range {
  const [address, bits] = entry.includes('/')
    ? ipaddr.parseCIDR(entry)
    : (() => {
        const single = ipaddr.parse(entry);
        return [single, single.kind() === 'ipv4' ? 32 : 128] as Range;
      })();
  // `::ffff:10.0.0.0/104` is the IPv4 range 10.0.0.0/8: addresses are compared as IPv4.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

function isTrusted(entry: string, ranges: Range[]): boolean {
  const address = parseAddress(entry);
  if (!address) return false;
  return ranges.some(
    ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
  );
}
