/**
 * INCR and arm the window in one step. PTTL < 0 also covers a counter that lost its
 * expiry (e.g. overwritten by a plain SET), so no key can count forever.
 */
export const incrementScript = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

export function toMilliseconds(seconds: number, name: string): number {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`${name} must be a positive number of seconds, got ${seconds}`);
  }
  return Math.ceil(seconds * 1000);
}

export function parseIncrementReply(reply: unknown): { count: number; resetInSeconds: number } {
  if (!Array.isArray(reply) || reply.length !== 2) {
    throw new Error(`Unexpected increment reply: ${JSON.stringify(reply)}`);
  }
  const [count, ttlMs] = reply.map(Number);
  if (!Number.isInteger(count) || !Number.isFinite(ttlMs)) {
    throw new Error(`Unexpected increment reply: ${JSON.stringify(reply)}`);
  }
  return {
    count: count as number,
    resetInSeconds: Math.max(1, Math.ceil((ttlMs as number) / 1000)),
  };
}

/** A throwing subscriber must not break delivery to the others or crash the process. */
export function deliverMessage(onMessage: (message: string) => void, message: string): void {
  try {
    onMessage(message);
  } catch (error) {
    console.error('[cache] subscriber callback threw', error);
  }
}
