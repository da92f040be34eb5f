import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as openapi from '@/app/api/demo-shop/openapi.json/route';
import * as cancel from '@/app/api/demo-shop/orders/[number]/cancel/route';
import * as address from '@/app/api/demo-shop/orders/[number]/delivery-address/route';
import * as returns from '@/app/api/demo-shop/orders/[number]/returns/route';
import * as order from '@/app/api/demo-shop/orders/[number]/route';
import * as label from '@/app/api/demo-shop/return-labels/[key]/route';

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

// The demo shop's routes by path, as Next would route them.
const ROUTES: [RegExp, Record<string, unknown>][] = [
  [/^\/api\/demo-shop\/openapi\.json$/, openapi],
  [/^\/api\/demo-shop\/orders\/(?<number>[^/]+)$/, order],
  [/^\/api\/demo-shop\/orders\/(?<number>[^/]+)\/cancel$/, cancel],
  [/^\/api\/demo-shop\/orders\/(?<number>[^/]+)\/delivery-address$/, address],
  [/^\/api\/demo-shop\/orders\/(?<number>[^/]+)\/returns$/, returns],
  [/^\/api\/demo-shop\/return-labels\/(?<key>[^/]+)$/, label],
];

/**
 * The demo shop's route handlers served over real HTTP on 127.0.0.1, for tests whose actions call
 * it as a desk's own demo shop is called (the handlers use the app `serveRoutesFrom` points at).
 * Every request it served is kept, to show which calls were made.
 */
export async function serveDemoShop(): Promise<{
  url: string;
  requests: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}> {
  const requests: { method: string; path: string; body: string }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, body });
    const route = ROUTES.map(([pattern, module]) => ({
      match: pattern.exec(url.pathname),
      module,
    })).find((r) => r.match);
    const handler = route?.module[req.method ?? 'GET'] as Handler | undefined;
    if (!route?.match || !handler) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const response = await handler(
      new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : body,
      }),
      // Next hands route handlers their path parameters decoded.
      {
        params: Promise.resolve(
          Object.fromEntries(
            Object.entries(route.match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
          ),
        ) as Promise<never>,
      },
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
