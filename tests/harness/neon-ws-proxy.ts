import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

/**
 * Neon's driver speaks the PostgreSQL wire protocol over a WebSocket; this shim unwraps it onto
 * a TCP socket, like Neon's own wsproxy, so @vercel/postgres can reach a local server.
 */
export interface NeonWsProxy {
  port: number;
  /** WebSocket connections served so far: proof that a client really went through the shim. */
  connectionCount(): number;
  close(): Promise<void>;
}

export type NeonConfig = {
  wsProxy: ((host: string, port: number | string) => string) | string | undefined;
  useSecureWebSocket: boolean | undefined;
  pipelineTLS: boolean | undefined;
  pipelineConnect: 'password' | false | undefined;
};

function parseTarget(requestUrl: string | undefined): { host: string; port: number } | null {
  const address = new URL(requestUrl ?? '/', 'ws://shim').searchParams.get('address');
  const match = address ? /^(.+):(\d+)$/.exec(address) : null;
  if (!match) return null;
  return { host: match[1]!, port: Number(match[2]) };
}

export async function startNeonWsProxy(): Promise<NeonWsProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const sockets = new Set<net.Socket>();
  let served = 0;

  server.on('connection', (ws: WebSocket, request) => {
    const target = parseTarget(request.url);
    if (!target) {
      ws.close(1008, 'missing or invalid address parameter');
      return;
    }
    served++;
    const socket = net.connect(target);
    sockets.add(socket);
    socket.on('data', (chunk) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(chunk, { binary: true });
    });
    socket.on('close', () => {
      sockets.delete(socket);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
    });
    socket.on('error', () => ws.terminate());

    ws.on('message', (data: RawData) => {
      const chunk = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      // Writes made while the TCP connection is still opening are queued by net.Socket.
      socket.write(chunk);
    });
    ws.on('close', () => socket.end());
    ws.on('error', () => socket.destroy());
  });

  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connectionCount: () => served,
    async close() {
      for (const client of server.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/**
 * The neonConfig of the copy of @neondatabase/serverless that @vercel/postgres itself imports
 * (its own nested, ESM one): settings made on any other copy would not reach its pools.
 */
export async function loadVercelNeonConfig(): Promise<NeonConfig> {
  const requireFromVercel = createRequire(
    createRequire(import.meta.url).resolve('@vercel/postgres'),
  );
  const packageDir = path.dirname(requireFromVercel.resolve('@neondatabase/serverless'));
  const { exports } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    exports: { import: string };
  };
  const entry = path.join(packageDir, exports.import);
  const neon = (await import(/* @vite-ignore */ pathToFileURL(entry).href)) as {
    neonConfig: NeonConfig;
  };
  return neon.neonConfig;
}

export async function configureVercelPostgres(proxyPort: number): Promise<void> {
  const neonConfig = await loadVercelNeonConfig();
  neonConfig.wsProxy = (host, port) => `127.0.0.1:${proxyPort}/v1?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}
