import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TandemError } from '@/lib/errors';
import { fetchDocument, isPublicAddress, type ResolvedAddress } from '@/lib/kb/fetch-url';
import { buildPdf, helpPageHtml, refundPolicyPdfPages } from './sample-files';

async function fetchError(promise: Promise<unknown>): Promise<TandemError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TandemError);
  return error as TandemError;
}

const toLoopback = async (): Promise<ResolvedAddress[]> => [{ address: '127.0.0.1', family: 4 }];

describe('address policy', () => {
  it('accepts only publicly routable addresses', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001::200e']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    const internal = [
      '127.0.0.1',
      '127.8.9.10',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '240.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::127.0.0.1',
      '64:ff9b::a00:1',
      'not-an-ip',
    ];
    for (const address of internal) expect(isPublicAddress(address), address).toBe(false);
  });
});

describe('fetchDocument refuses what it must not fetch', () => {
  it.each([
    'http://127.0.0.1/',
    'http://localhost/',
    'http://10.0.0.1/',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fd00::1]/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    // WHATWG URL parsing turns this decimal form into 127.0.0.1.
    'http://2130706433/',
  ])('refuses the internal address %s', async (url) => {
    const error = await fetchError(fetchDocument(url));
    expect(error.code).toBe('forbidden:url');
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/points to a private or local network address/);
  });

  it('refuses a host name that resolves to loopback', async () => {
    const resolveHost = vi.fn(toLoopback);
    const error = await fetchError(
      fetchDocument('https://help.attacker.test/page', { resolveHost }),
    );
    expect(resolveHost).toHaveBeenCalledWith('help.attacker.test');
    expect(error.code).toBe('forbidden:url');
    expect(error.message).toBe(
      'help.attacker.test points to a private or local network address (127.0.0.1); only public web addresses can be imported.',
    );
  });

  it('refuses a host name when any one of its addresses is internal', async () => {
    const error = await fetchError(
      fetchDocument('http://mixed.attacker.test/', {
        resolveHost: async () => [
          { address: '93.184.216.34', family: 4 },
          { address: '10.1.2.3', family: 4 },
        ],
      }),
    );
    expect(error.code).toBe('forbidden:url');
    expect(error.message).toContain('(10.1.2.3)');
  });

  it.each([
    ['file:///etc/passwd', 'file:'],
    ['ftp://ftp.example.com/readme.txt', 'ftp:'],
    ['gopher://example.com/', 'gopher:'],
  ])('refuses the scheme of %s', async (url, scheme) => {
    const error = await fetchError(fetchDocument(url));
    expect(error.code).toBe('bad_request:url');
    expect(error.message).toBe(
      `Only http:// and https:// addresses can be imported, not ${scheme}//.`,
    );
  });

  it('refuses text that is not a URL', async () => {
    const error = await fetchError(fetchDocument('help centre'));
    expect(error.code).toBe('bad_request:url');
    expect(error.message).toBe('"help centre" is not a valid web address.');
  });

  it('reports a host that does not resolve', async () => {
    const error = await fetchError(
      fetchDocument('http://nowhere.tandem.test/', {
        resolveHost: async () => {
          throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
        },
      }),
    );
    expect(error.code).toBe('bad_request:url');
    expect(error.message).toBe('Could not find the host nowhere.tandem.test.');
  });
});

describe('fetchDocument from a loopback server (private networks allowed)', () => {
  let server: Server;
  let base: string;
  let pdf: Uint8Array;
  const hostHeaders: string[] = [];
  const allow = { allowPrivateNetworks: true } as const;

  beforeAll(async () => {
    pdf = await buildPdf(refundPolicyPdfPages, 'Refund Policy');
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://loopback');
      hostHeaders.push(req.headers.host ?? '');
      const hops = /^\/redirect\/(\d+)$/.exec(url.pathname);
      if (hops) {
        const left = Number(hops[1]);
        res.writeHead(left % 2 ? 302 : 301, {
          location: left > 1 ? `/redirect/${left - 1}` : '/help/returns',
        });
        return res.end();
      }
      switch (url.pathname) {
        case '/help/returns':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          return res.end(helpPageHtml);
        case '/help/returns.gz':
          res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
          return res.end(gzipSync(helpPageHtml));
        case '/files/refunds.pdf':
          res.writeHead(200, { 'content-type': 'application/pdf' });
          return res.end(Buffer.from(pdf));
        case '/notes.md':
          res.writeHead(200, { 'content-type': 'text/markdown' });
          return res.end('# Gift cards\n\nGift cards never expire.');
        case '/redirect-to-file':
          res.writeHead(302, { location: 'file:///etc/passwd' });
          return res.end();
        case '/redirect-to-other-host': {
          const port = (server.address() as AddressInfo).port;
          res.writeHead(307, { location: `http://docs.tandem.test:${port}/help/returns` });
          return res.end();
        }
        case '/huge': {
          // No Content-Length: the limit must hold while streaming.
          res.writeHead(200, { 'content-type': 'text/plain' });
          const chunk = Buffer.alloc(64 * 1024, 'a');
          let sent = 0;
          const pump = () => {
            while (sent < 4 * 1024 * 1024) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('close', () => {
            sent = Number.POSITIVE_INFINITY;
          });
          return pump();
        }
        case '/huge-declared':
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 50_000_000 });
          return res.end('a');
        case '/gzip-bomb':
          res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
          return res.end(gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a')));
        case '/slow':
          // Never answers: the client's deadline must end the request.
          return;
        default:
          res.writeHead(404, { 'content-type': 'text/plain' });
          return res.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fetches and extracts an HTML page', async () => {
    const article = await fetchDocument(`${base}/help/returns`, allow);
    expect(article.title).toBe('Returns and refunds');
    expect(article.sourceType).toBe('url');
    expect(article.origin).toBe(`${base}/help/returns`);
    expect(article.body).toContain('## How long refunds take');
    expect(article.body).not.toContain('All rights reserved');
  });

  it('still refuses loopback when private networks are not allowed', async () => {
    const error = await fetchError(fetchDocument(`${base}/help/returns`));
    expect(error.code).toBe('forbidden:url');
  });

  it('follows up to five redirects and reports the final address', async () => {
    const article = await fetchDocument(`${base}/redirect/5`, allow);
    expect(article.title).toBe('Returns and refunds');
    expect(article.origin).toBe(`${base}/help/returns`);
  });

  it('stops after five redirects', async () => {
    const error = await fetchError(fetchDocument(`${base}/redirect/6`, allow));
    expect(error.code).toBe('bad_request:url');
    expect(error.message).toBe(
      `${base}/redirect/6 redirected more than 5 times; use the final address instead.`,
    );
  });

  it('checks every redirect hop again', async () => {
    const schemeError = await fetchError(fetchDocument(`${base}/redirect-to-file`, allow));
    expect(schemeError.code).toBe('bad_request:url');
    expect(schemeError.message).toContain('not file://');

    const resolveHost = vi.fn(toLoopback);
    const article = await fetchDocument(`${base}/redirect-to-other-host`, {
      ...allow,
      resolveHost,
    });
    expect(article.title).toBe('Returns and refunds');
    expect(resolveHost).toHaveBeenCalledExactlyOnceWith('docs.tandem.test');
  });

  it('connects to the checked address, never re-resolving the host', async () => {
    const port = (server.address() as AddressInfo).port;
    // The system resolver has never heard of this name: only the pinned address can be used.
    const article = await fetchDocument(`http://help.tandem.test:${port}/notes.md`, {
      ...allow,
      resolveHost: toLoopback,
    });
    expect(article.title).toBe('Gift cards');
    expect(article.body).toBe('Gift cards never expire.');
    expect(hostHeaders.at(-1)).toBe(`help.tandem.test:${port}`);
  });

  it('extracts a PDF by its content type', async () => {
    const article = await fetchDocument(`${base}/files/refunds.pdf`, allow);
    expect(article.title).toBe('Refund Policy');
    expect(article.origin).toBe(`${base}/files/refunds.pdf`);
    expect(article.body).toContain('Gift cards cannot be refunded.');
  });

  it('decompresses gzip bodies', async () => {
    const article = await fetchDocument(`${base}/help/returns.gz`, allow);
    expect(article.title).toBe('Returns and refunds');
  });

  it.each(['/huge', '/huge-declared', '/gzip-bomb'])(
    'refuses a body over the size limit (%s)',
    async (path) => {
      const error = await fetchError(
        fetchDocument(`${base}${path}`, { ...allow, maxBytes: 1024 * 1024 }),
      );
      expect(error.code).toBe('payload_too_large:url');
      expect(error.status).toBe(413);
      expect(error.message).toBe(
        `${base}${path} is larger than the 1 MB limit for imported pages.`,
      );
    },
  );

  it('reports non-2xx answers', async () => {
    const error = await fetchError(fetchDocument(`${base}/missing`, allow));
    expect(error.code).toBe('bad_request:url');
    expect(error.message).toBe(`${base}/missing answered 404 Not Found`);
  });

  it('gives up when the server does not answer in time', async () => {
    const error = await fetchError(fetchDocument(`${base}/slow`, { ...allow, timeoutMs: 300 }));
    expect(error.code).toBe('bad_request:url');
    expect(error.message).toBe(`${base}/slow did not respond within 0.3 seconds.`);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await fetchError(fetchDocument(`http://127.0.0.1:${port}/`, allow));
    expect(error.code).toBe('bad_request:url');
    expect(error.message).toBe(
      `http://127.0.0.1:${port}/ could not be fetched: the server refused the connection.`,
    );
  });
});
