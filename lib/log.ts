import pino from 'pino';
import { getConfig } from '@/lib/config';

/** JSON logs on stdout. Message bodies never go in: log ids, counts and timings. */
export const log = pino({
  level: getConfig().logLevel,
  base: { service: 'tandem' },
  timestamp: pino.stdTimeFunctions.isoTime,
});
