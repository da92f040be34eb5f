import { format } from 'node:util';
import pino from 'pino';
import { getConfig } from '@/lib/config';
import { currentRequestId } from '@/lib/observability/request-context';

/**
 * JSON logs on stdout, each line inside a request carrying its `requestId`. Message bodies never
 * go in: log ids, counts and timings.
 */
export const log = pino({
  level: getConfig().logLevel,
  base: { service: 'tandem' },
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin() {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
});

// On globalThis: the server script, instrumentation and every route bundle share them.
const holder = globalThis as typeof globalThis & {
  __tandemLoggedErrors?: WeakSet<object>;
  __tandemRoutedConsoles?: WeakSet<object>;
};
holder.__tandemLoggedErrors ??= new WeakSet();
holder.__tandemRoutedConsoles ??= new WeakSet();
const loggedErrors = holder.__tandemLoggedErrors;
const routedConsoles = holder.__tandemRoutedConsoles;

/** Records that `error` has had its JSON line (with its request), so a later print is dropped. */
export function markErrorLogged(error: unknown): void {
  if (typeof error === 'object' && error !== null) loggedErrors.add(error);
}

const CONSOLE_LEVELS = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'debug',
} as const;

type ConsoleMethod = keyof typeof CONSOLE_LEVELS;

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
const ANSI = /\u001b\[[0-9;]*m/g;
// Next prefixes its lines with a coloured symbol: ⨯ error, ⚠ warning, ✓ event, ○ wait, » trace.
const NEXT_PREFIX = /^\s*[⨯⚠✓○»▲]\s*/u;

/**
 * Sends everything written through `console` (Next's own messages and errors, libraries' warnings)
 * to the JSON log instead of plain text: one line each, an Error in the arguments as `err` with
 * its stack. An error already logged with its request (instrumentation's onRequestError) is not
 * logged again when Next prints it.
 */
export function routeConsoleToLog(target: Pick<Console, ConsoleMethod> = console, logger = log) {
  if (routedConsoles.has(target)) return;
  routedConsoles.add(target);
  for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [
    ConsoleMethod,
    (typeof CONSOLE_LEVELS)[ConsoleMethod],
  ][]) {
    target[method] = (...args: unknown[]) => {
      const error = args.find((arg) => arg instanceof Error) as Error | undefined;
      if (error && loggedErrors.has(error)) return;
      const text = format(...args.filter((arg) => arg !== error))
        .replace(ANSI, '')
        .replace(NEXT_PREFIX, '')
        .trim();
      const message = text === '' && error ? error.message : text;
      if (message === '' && !error) return;
      logger[level]({ source: 'console', ...(error ? { err: error } : {}) }, message);
    };
  }
}
