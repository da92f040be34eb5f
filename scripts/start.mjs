// `npm start`: builds on the first run (or when no build exists), then serves the production app.
// It serves Next through its custom-server API rather than `next start` for one reason: route
// handlers cannot see the connection, and `next start` copies its address into X-Forwarded-For
// only when the client sent none. Here each request carries the connection's address in a header
// this server writes over whatever the client sent (lib/security/client-address.ts reads it), and
// every line the process writes to the console goes out as a JSON log line (lib/log.ts).
// Options as for `next start`: -p/--port (or PORT), -H/--hostname (or HOST; loopback unless told
// otherwise, so a desk is not exposed to the network by accident), --keepAliveTimeout <ms>.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createJiti } from 'jiti';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', short: 'p' },
    hostname: { type: 'string', short: 'H' },
    keepAliveTimeout: { type: 'string' },
  },
});

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(path.join(root, '.next/BUILD_ID'))) {
  const result = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.NODE_ENV ??= 'production';

// The .env files, loaded as Next loads them, before the configuration is first read here.
const fromNext = createRequire(createRequire(import.meta.url).resolve('next/package.json'));
fromNext('@next/env').loadEnvConfig(root, false);
// The all-embedded desk (no database server) is the one-machine quick start, whose demo shop's
// actions call this desk on localhost; the address guard refuses loopback unless allowed, so it
// is allowed here, and said in the start-up log. A deployment with a database server decides.
const embeddedDesk = !process.env.DATABASE_URL && !process.env.POSTGRES_URL;
const allowedLoopback = embeddedDesk && process.env.TANDEM_ACTIONS_ALLOWED_HOSTS === undefined;
if (allowedLoopback) process.env.TANDEM_ACTIONS_ALLOWED_HOSTS = 'localhost,127.0.0.1';
const jiti = createJiti(import.meta.url, { alias: { '@': root } });
// Also validates the configuration, naming any bad variable, before anything is served.
const { log, routeConsoleToLog } = await jiti.import('../lib/log.ts').catch((error) => {
  const line = { level: 60, time: new Date().toISOString(), service: 'tandem', msg: error.message };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  process.exit(1);
});
const { PEER_ADDRESS_HEADER, PEER_ADDRESS_MARKER } = await jiti.import(
  '../lib/security/client-address.ts',
);
routeConsoleToLog();
if (allowedLoopback) {
  log.info(
    'actions may call localhost (embedded desk, TANDEM_ACTIONS_ALLOWED_HOSTS unset): the demo shop lives on this desk',
  );
}

const port = Number(options.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  log.fatal(
    { port: options.port ?? process.env.PORT },
    'the port must be a number from 0 to 65535',
  );
  process.exit(1);
}
const hostname = options.hostname ?? process.env.HOST ?? '127.0.0.1';
// As `next start` does: the app reads its own port from the configuration (lib/config.ts deskUrl).
process.env.PORT = String(port);

const { default: next } = await import('next');
const app = next({ dev: false, dir: root, port, hostname });
await app.prepare();
const handle = app.getRequestHandler();
// Route code runs in this process and believes the header only when this marker is set.
globalThis[PEER_ADDRESS_MARKER] = true;

const server = createServer((request, response) => {
  request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? '';
  handle(request, response).catch((error) => {
    log.error({ err: error, path: request.url }, 'request failed outside the app');
    if (response.headersSent) return response.destroy();
    response.statusCode = 500;
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        error: {
          code: 'internal:server',
          message: 'Something went wrong on our side. Please try again.',
        },
      }),
    );
  });
});
if (options.keepAliveTimeout) server.keepAliveTimeout = Number(options.keepAliveTimeout);

server.on('error', (error) => {
  log.fatal({ err: error }, 'the server could not start');
  process.exit(1);
});
server.listen(port, hostname, () => {
  const address = server.address();
  log.info(
    { port: typeof address === 'object' && address ? address.port : port, hostname },
    'Tandem is ready',
  );
});

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    // Stop accepting, let requests in flight finish, then let Next release what it holds.
    server.close(() => {
      app
        .close()
        .catch((error) => log.error({ err: error }, 'closing the app failed'))
        .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
    server.closeIdleConnections();
    // Event streams stay open until their client leaves: cut them after a grace period.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  });
}
