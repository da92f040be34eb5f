import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { onRequestError } from '@/instrumentation';
import { markErrorLogged, routeConsoleToLog } from '@/lib/log';

type Line = Record<string, unknown> & { msg: string; level: number; err?: { stack: string } };

/** A console whose every method goes through {@link routeConsoleToLog} into collected lines. */
function routedConsole() {
  const lines: Line[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      lines.push(JSON.parse(String(chunk)) as Line);
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  const fake = {
    log: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    debug: () => {},
    trace: () => {},
  } as Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace'>;
  routeConsoleToLog(fake, logger);
  return { console: fake, lines, raw };
}

describe('console output as JSON log lines', () => {
  it("turns Next's error print of an Error into one JSON line with the stack", () => {
    const { console, lines, raw } = routedConsole();
    const error = new Error('database is gone');
    // What Next's `Log.error(err)` writes: a red ⨯ and the error.
    console.error('\u001b[31m\u001b[1m⨯\u001b[22m\u001b[39m', error);
    expect(raw).toHaveLength(1);
    expect(raw[0]!.trim().split('\n')).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'database is gone', source: 'console' });
    expect(lines[0]!.err!.stack).toContain('database is gone');
    expect(lines[0]!.err!.stack).toContain('json-logs.test.ts');
  });

  it('keeps the text around an error and the level of each console method', () => {
    const { console, lines } = routedConsole();
    console.error('uncaughtException: ', new TypeError('x is undefined'));
    console.warn('\u001b[33m\u001b[1m⚠\u001b[22m\u001b[39m Invalid next.config option %s', 'foo');
    console.log('▲ Next.js 16');
    console.info('plain', { a: 1 });
    console.debug('details');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'uncaughtException:'],
      [40, 'Invalid next.config option foo'],
      [30, 'Next.js 16'],
      [30, 'plain { a: 1 }'],
      [20, 'details'],
    ]);
    expect(lines[0]!.err).toMatchObject({ type: 'TypeError', message: 'x is undefined' });
  });

  it('drops an error that was already logged with its request', () => {
    const { console, lines } = routedConsole();
    const error = new Error('render failed');
    markErrorLogged(error);
    console.error('⨯', error);
    console.error('⨯', new Error('another one'));
    expect(lines.map((l) => l.msg)).toEqual(['another one']);
  });

  it('onRequestError marks the error it logs, so Next printing it after adds nothing', async () => {
    const previous = process.env.NEXT_RUNTIME;
    process.env.NEXT_RUNTIME = 'nodejs';
    try {
      const { console, lines } = routedConsole();
      const error = new Error('route blew up');
      await onRequestError(
        error,
        { path: '/api/v1/tickets?email=a@b.c', method: 'GET', headers: { 'x-request-id': 'r1' } },
        {
          routerKind: 'App Router',
          routePath: '/api/v1/tickets',
          routeType: 'route',
          revalidateReason: undefined,
        },
      );
      console.error('⨯', error);
      expect(lines).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.NEXT_RUNTIME;
      else process.env.NEXT_RUNTIME = previous;
    }
  });

  it('patches a console once, however many times it is asked', () => {
    const { console, lines } = routedConsole();
    routeConsoleToLog(console);
    console.warn('once');
    expect(lines).toHaveLength(1);
  });
});
