import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';
import {
  clientAddress,
  PEER_ADDRESS_HEADER,
  PEER_ADDRESS_MARKER,
} from '@/lib/security/client-address';

const holder = globalThis as Record<symbol, unknown>;

function request(peer: string | undefined, forwardedFor?: string): Request {
  const headers = new Headers();
  if (peer !== undefined) headers.set(PEER_ADDRESS_HEADER, peer);
  if (forwardedFor !== undefined) headers.set('x-forwarded-for', forwardedFor);
  return new Request('http://desk.example/api/chat', { headers });
}

const configWith = (trusted?: string) =>
  parseConfig(trusted === undefined ? {} : { TANDEM_TRUSTED_PROXIES: trusted });

describe('TANDEM_TRUSTED_PROXIES', () => {
  it('is none by default, and 0 means none', () => {
    expect(parseConfig({}).trustedProxies).toEqual({ kind: 'none' });
    expect(parseConfig({ TANDEM_TRUSTED_PROXIES: '0' }).trustedProxies).toEqual({ kind: 'none' });
  });

  it('takes a hop count or a list of addresses and CIDR ranges', () => {
    expect(parseConfig({ TANDEM_TRUSTED_PROXIES: '2' }).trustedProxies).toEqual({
      kind: 'hops',
      hops: 2,
    });
    expect(
      parseConfig({ TANDEM_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,fd00::/8' }).trustedProxies,
    ).toEqual({ kind: 'ranges', ranges: ['10.0.0.0/8', '127.0.0.1', 'fd00::/8'] });
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '1,', '-1', '1000']) {
      try {
        parseConfig({ TANDEM_TRUSTED_PROXIES: bad });
        expect.unreachable(bad);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems[0]).toMatch(/^TANDEM_TRUSTED_PROXIES must be/);
      }
    }
  });
});

describe('clientAddress behind the Tandem server (the peer address is known)', () => {
  beforeEach(() => {
    holder[PEER_ADDRESS_MARKER] = true;
  });
  afterEach(() => {
    delete holder[PEER_ADDRESS_MARKER];
  });

  it('ignores X-Forwarded-For entirely when no proxy is trusted', () => {
    const config = configWith();
    expect(clientAddress(request('203.0.113.9', '198.51.100.1'), config)).toBe('203.0.113.9');
    expect(clientAddress(request('203.0.113.9', '1.1.1.1, 2.2.2.2'), config)).toBe('203.0.113.9');
    expect(clientAddress(request('203.0.113.9'), config)).toBe('203.0.113.9');
  });

  it('a forged peer header from the client is whatever the server overwrote it with', () => {
    // The server (scripts/start.mjs) sets the header on every request; here it is simply read.
    expect(clientAddress(request('192.0.2.4', '192.0.2.99'), configWith())).toBe('192.0.2.4');
  });

  it('with a hop count, takes the entry that many hops from the peer', () => {
    // proxy 10.0.0.2 appended the client 198.51.100.7; the client had sent a forged entry first.
    const behindOne = request('10.0.0.2', '6.6.6.6, 198.51.100.7');
    expect(clientAddress(behindOne, configWith('1'))).toBe('198.51.100.7');
    // Two proxies: CDN 10.0.0.9 appended the client, the load balancer 10.0.0.2 appended the CDN.
    const behindTwo = request('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.9');
    expect(clientAddress(behindTwo, configWith('2'))).toBe('198.51.100.7');
    expect(clientAddress(behindTwo, configWith('1'))).toBe('10.0.0.9');
  });

  it('with more hops trusted than there are entries, settles on the left-most', () => {
    expect(clientAddress(request('10.0.0.2', '198.51.100.7'), configWith('5'))).toBe(
      '198.51.100.7',
    );
    expect(clientAddress(request('10.0.0.2'), configWith('1'))).toBe('10.0.0.2');
  });

  it('with ranges, takes the right-most entry that is not a trusted proxy', () => {
    const config = configWith('10.0.0.0/8,192.168.1.1');
    expect(
      clientAddress(request('10.0.0.2', '6.6.6.6, 198.51.100.7, 192.168.1.1, 10.1.2.3'), config),
    ).toBe('198.51.100.7');
    // The peer itself is untrusted: it is the client, whatever the header claims.
    expect(clientAddress(request('198.51.100.50', '10.0.0.3, 6.6.6.6'), config)).toBe(
      '198.51.100.50',
    );
  });

  it('spoofed left-most entries never win while a trusted proxy appended the real one', () => {
    const config = configWith('10.0.0.0/8');
    for (const forged of ['1.2.3.4', '10.0.0.1', 'unknown', '::1', '127.0.0.1, 8.8.8.8']) {
      expect(clientAddress(request('10.0.0.2', `${forged}, 198.51.100.7`), config)).toBe(
        '198.51.100.7',
      );
      expect(clientAddress(request('10.0.0.2', `${forged}, 198.51.100.7`), configWith('1'))).toBe(
        '198.51.100.7',
      );
    }
  });

  it('when every hop is trusted, takes the furthest', () => {
    expect(clientAddress(request('10.0.0.2', '10.9.9.9, 10.0.0.5'), configWith('10.0.0.0/8'))).toBe(
      '10.9.9.9',
    );
  });

  it('handles IPv6 peers, IPv6 ranges and normalises the address', () => {
    const config = configWith('fd00::/8');
    expect(clientAddress(request('fd00::2', '2001:DB8:0:0::7'), config)).toBe('2001:db8::7');
    expect(clientAddress(request('fd00::2', '2001:db8::7, fd12::1'), config)).toBe('2001:db8::7');
    expect(clientAddress(request('2001:db8::5', 'fd12::1'), configWith())).toBe('2001:db8::5');
  });

  it('treats IPv4-mapped IPv6 addresses as the IPv4 address, for peers, entries and ranges', () => {
    // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d.
    expect(clientAddress(request('::ffff:203.0.113.9'), configWith())).toBe('203.0.113.9');
    expect(
      clientAddress(request('::ffff:10.0.0.2', '::ffff:198.51.100.7'), configWith('10.0.0.0/8')),
    ).toBe('198.51.100.7');
    expect(
      clientAddress(request('10.0.0.2', '198.51.100.7'), configWith('::ffff:10.0.0.0/104')),
    ).toBe('198.51.100.7');
    // An IPv4 range does not match a true IPv6 address, and the reverse.
    expect(clientAddress(request('fd00::2', '198.51.100.7'), configWith('10.0.0.0/8'))).toBe(
      'fd00::2',
    );
  });

  it('drops the port some proxies add to an entry', () => {
    const config = configWith('1');
    expect(clientAddress(request('10.0.0.2', '198.51.100.7:51234'), config)).toBe('198.51.100.7');
    expect(clientAddress(request('10.0.0.2', '[2001:db8::7]:443'), config)).toBe('2001:db8::7');
  });

  it('is unknown when nothing says', () => {
    expect(clientAddress(request(undefined), configWith())).toBe('unknown');
  });
});

describe('clientAddress under plain `next start` or `next dev` (no peer address of our own)', () => {
  it('falls back to the last X-Forwarded-For entry, which Next sets from the socket', () => {
    expect(clientAddress(request(undefined, '127.0.0.1'), configWith())).toBe('127.0.0.1');
  });

  it('does not believe a peer header the client sent itself', () => {
    expect(clientAddress(request('1.2.3.4', '127.0.0.1'), configWith())).toBe('127.0.0.1');
  });

  it('counts the nearest proxy as the first trusted hop', () => {
    // nginx at 10.0.0.2 appended the client; Next added nothing because the header was there.
    expect(clientAddress(request(undefined, '6.6.6.6, 198.51.100.7'), configWith('1'))).toBe(
      '198.51.100.7',
    );
    expect(
      clientAddress(request(undefined, '6.6.6.6, 198.51.100.7'), configWith('10.0.0.0/8')),
    ).toBe('198.51.100.7');
  });
});
