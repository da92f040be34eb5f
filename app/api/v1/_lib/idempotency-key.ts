import { TandemError } from '@/lib/errors';

const MAX_KEY_CHARS = 200;

/** The request's `Idempotency-Key`, if it sent one; a key too long to be one is a 400. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get('idempotency-key')?.trim() || undefined;
  if (key && key.length > MAX_KEY_CHARS) {
    throw new TandemError(
      'bad_request:api',
      `Idempotency-Key: at most ${MAX_KEY_CHARS} characters.`,
    );
  }
  return key;
}
