import { createHmac, timingSafeEqual } from 'node:crypto';

/** The anonymous widget session: the customer id, signed so it cannot be forged or swapped. */
export const CUSTOMER_COOKIE = 'tandem_customer';
export const CUSTOMER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sign(customerId: string, secret: string): string {
  return createHmac('sha256', secret).update(`customer:${customerId}`).digest('base64url');
}

export function createCustomerToken(customerId: string, secret: string): string {
  return `${customerId}.${sign(customerId, secret)}`;
}

/** The customer id a token vouches for, or null when it is missing, malformed or forged. */
export function readCustomerToken(token: string | undefined, secret: string): string | null {
  if (!token) return null;
  const [customerId, signature] = token.split('.');
  if (!customerId || !signature || !UUID.test(customerId)) return null;
  const expected = Buffer.from(sign(customerId, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? customerId : null;
}

export function customerCookieHeader(token: string, { secure }: { secure: boolean }): string {
  return [
    `${CUSTOMER_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    `Max-Age=${CUSTOMER_COOKIE_MAX_AGE}`,
    // Over https the widget may sit in an iframe on the shop's own domain: a cross-site cookie,
    // partitioned per embedding site (CHIPS) so browsers that block third-party cookies keep it.
    ...(secure ? ['SameSite=None', 'Secure', 'Partitioned'] : ['SameSite=Lax']),
  ].join('; ');
}

/** The session token from a request's Cookie header (route handlers that take a plain Request). */
export function customerCookie(request: Request): string | undefined {
  return request.headers
    .get('cookie')
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${CUSTOMER_COOKIE}=`))
    ?.slice(CUSTOMER_COOKIE.length + 1);
}
