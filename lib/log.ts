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
