import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

/**
 * A stand-in for the Upstash REST API in front of a real redis-server, speaking what
 * @upstash/redis sends: POST / (one command), /pipeline, /multi-exec (arrays of commands),
 * and /subscribe/<channel> (server-sent events).
 */
export interface UpstashShim {
  url: string;
  close(): Promise<void>;
}

type CommandArgument = string | number | boolean;
type ShimReply = { result: unknown } | { error: string };

class BadRequest extends Error {}

// These would hijack the shared connection; the client streams subscriptions via /subscribe.
const connectionBoundCommands = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'monitor']);

function parseCommand(value: unknown): [string, string[]] {
  if (
    !Array.isArray(value) ||
    typeof value[0] !== 'string' ||
    !value.every((part): part is CommandArgument =>
      ['string', 'number', 'boolean'].includes(typeof part),
    )
  ) {
    throw new BadRequest(`Invalid command: ${JSON.stringify(value)}`);
  }
  const [name, ...args] = value as [string, ...CommandArgument[]];
  if (connectionBoundCommands.has(name.toLowerCase())) {
    throw new BadRequest(`${name} is not supported over REST; use /subscribe`);
  }
  return [name, args.map(String)];
}

function parseCommands(value: unknown): [string, string[]][] {
  if (!Array.isArray(value)) throw new BadRequest('Expected an array of commands');
  return value.map(parseCommand);
}

/** With `Upstash-Encoding: base64` every string in a result travels base64-encoded. */
function encodeResult(value: unknown, base64: boolean): unknown {
  if (Buffer.isBuffer(value)) return base64 ? value.toString('base64') : value.toString('utf8');
  if (typeof value === 'string') return base64 ? Buffer.from(value).toString('base64') : value;
  if (Array.isArray(value)) return value.map((item) => encodeResult(item, base64));
  return value;
}

function toReply([error, result]: [Error | null, unknown], base64: boolean): ShimReply {
  return error ? { error: error.message } : { result: encodeResult(result, base64) };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('Request body is not JSON');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startUpstashShim({
  redisUrl,
  token,
}: {
  redisUrl: string;
  token: string;
}): Promise<UpstashShim> {
  const redis = new Redis(redisUrl, { protocol: 2, maxRetriesPerRequest: 1 });
  await redis.ping();
  const subscriberConnections = new Set<Redis>();

  async function runCommand(body: unknown, base64: boolean): Promise<[number, ShimReply]> {
    const [name, args] = parseCommand(body);
    try {
      return [200, { result: encodeResult(await redis.callBuffer(name, args), base64) }];
    } catch (error) {
      return [400, { error: (error as Error).message }];
    }
  }

  async function runPipeline(body: unknown, base64: boolean): Promise<ShimReply[]> {
    const pipeline = redis.pipeline();
    for (const [name, args] of parseCommands(body)) pipeline.callBuffer(name, args);
    const results = (await pipeline.exec()) ?? [];
    return results.map((entry) => toReply(entry, base64));
  }

  async function runTransaction(body: unknown, base64: boolean): Promise<[number, unknown]> {
    const transaction = redis.multi();
    for (const [name, args] of parseCommands(body)) transaction.callBuffer(name, args);
    try {
      const results = (await transaction.exec()) ?? [];
      return [200, results.map((entry) => toReply(entry, base64))];
    } catch (error) {
      return [400, { error: (error as Error).message }];
    }
  }

  async function streamChannel(channel: string, res: ServerResponse): Promise<void> {
    const connection = redis.duplicate();
    subscriberConnections.add(connection);
    res.on('close', () => {
      subscriberConnections.delete(connection);
      connection.disconnect();
    });
    connection.on('message', (from: string, message: string) => {
      res.write(`data: message,${from},${message}\n\n`);
    });
    const count = await connection.subscribe(channel);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.write(`data: subscribe,${channel},${count}\n\n`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${token}`) {
      sendJson(res, 401, { error: 'Unauthorized' });
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'Only POST is supported' });
      return;
    }
    const base64 = req.headers['upstash-encoding'] === 'base64';
    const path = new URL(req.url ?? '/', 'http://shim').pathname;
    const body = await readJson(req);

    if (path === '/') {
      const [status, reply] = await runCommand(body, base64);
      sendJson(res, status, reply);
    } else if (path === '/pipeline') {
      sendJson(res, 200, await runPipeline(body, base64));
    } else if (path === '/multi-exec') {
      const [status, reply] = await runTransaction(body, base64);
      sendJson(res, status, reply);
    } else if (path.startsWith('/subscribe/')) {
      await streamChannel(decodeURIComponent(path.slice('/subscribe/'.length)), res);
    } else {
      sendJson(res, 404, { error: `Unknown path ${path}` });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = error instanceof BadRequest ? 400 : 500;
      sendJson(res, status, { error: (error as Error).message });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of subscriberConnections) connection.disconnect();
      await redis.quit();
    },
  };
}
