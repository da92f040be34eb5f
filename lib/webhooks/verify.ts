import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks a Tandem webhook delivery: `header` is the `Tandem-Signature` value
 * (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`), `body` the raw request body
 * exactly as received. Self-contained (node:crypto only), so receivers can copy it as is.
 * Deliveries older than the tolerance are refused, so a captured request cannot be replayed.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  { toleranceSeconds = 300, now = Date.now() }: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const [key, value] = item.trim().split('=', 2);
    if (key && value) parts.set(key, [...(parts.get(key) ?? []), value]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(timestamp)) return false;
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  // Several v1 values may be present while a secret is being rolled; any one may match.
  return (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
