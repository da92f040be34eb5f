import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { customers } from '@/db/schema';
import { type Customer, findCustomer } from './queries';

/**
 * The widget session: the customer id, the customer's session version and the time it was issued,
 * signed so it cannot be forged, swapped or made younger. Raising the customer's session_version
 * ("forget me", erasure) ends every token issued before.
 */
export const CUSTOMER_COOKIE = 'tandem_customer';
/** Request and response header carrying the token where a cookie cannot (third-party frames). */
export const CUSTOMER_SESSION_HEADER = 'x-tandem-session';
/** Query parameter carrying the token for the event stream only: EventSource cannot set headers. */
export const CUSTOMER_SESSION_QUERY = 'session';

/** How long a token stays valid after it was issued. */
export const CUSTOMER_SESSION_LIFETIME_SECONDS = 60 * 60 * 24 * 30;
/** A token older than this is replaced by a fresh one on the next request. */
export const CUSTOMER_SESSION_ROTATE_SECONDS = 60 * 60 * 24;
/** The cookie lives as long as a token may. */
export const CUSTOMER_COOKIE_MAX_AGE = CUSTOMER_SESSION_LIFETIME_SECONDS;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INTEGER = /^(0|[1-9][0-9]{0,15})$/;

export interface CustomerTokenClaims {
  customerId: string;
  /** The customer's session_version when the token was issued. */
  version: number;
  /** Seconds since the epoch. */
  issuedAt: number;
}

function sign(claims: CustomerTokenClaims, secret: string): string {
  return createHmac('sha256', secret)
    .update(`customer-session:${claims.customerId}:${claims.version}:${claims.issuedAt}`)
    .digest('base64url');
}

const nowSeconds = (now: number) => Math.floor(now / 1000);

/** A token for the customer at their current session version (0 for a customer just created). */
export function createCustomerToken(
  customerId: string,
  secret: string,
  { version = 0, now = Date.now() }: { version?: number; now?: number } = {},
): string {
  const claims = { customerId, version, issuedAt: nowSeconds(now) };
  return `${customerId}.${version}.${claims.issuedAt}.${sign(claims, secret)}`;
}

/** A token for this customer row, at its session version. */
export const tokenFor = (customer: Customer, secret: string, now = Date.now()) =>
  createCustomerToken(customer.id, secret, { version: customer.sessionVersion, now });

/**
 * What a token vouches for, or null when it is missing, malformed, forged or older than its
 * lifetime. It does not say whether the session was since ended: {@link findSessionCustomer} does.
 */
export function readCustomerToken(
  token: string | null | undefined,
  secret: string,
  now = Date.now(),
): CustomerTokenClaims | null {
  if (!token || token.length > 200) return null;
  const [customerId, version, issuedAt, signature, extra] = token.split('.');
  if (!customerId || !version || !issuedAt || !signature || extra !== undefined) return null;
  if (!UUID.test(customerId) || !INTEGER.test(version) || !INTEGER.test(issuedAt)) return null;
  const claims = { customerId, version: Number(version), issuedAt: Number(issuedAt) };
  const expected = Buffer.from(sign(claims, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const age = nowSeconds(now) - claims.issuedAt;
  // A little clock skew between instances is forgiven; a token from the future is not.
  if (age > CUSTOMER_SESSION_LIFETIME_SECONDS || age < -300) return null;
  return claims;
}

export interface CustomerSession {
  customer: Customer;
  /** The token is old enough to be replaced by a fresh one on this response. */
  rotate: boolean;
}

/**
 * The customer a token signs in, while the session is current: signed, within its lifetime, and
 * issued at the customer's current session version (the customer not erased).
 */
export async function findSessionCustomer(
  db: Database,
  token: string | null | undefined,
  secret: string,
  now = Date.now(),
): Promise<CustomerSession | null> {
  const claims = readCustomerToken(token, secret, now);
  if (!claims) return null;
  const customer = await findCustomer(db, claims.customerId);
  if (!customer || customer.sessionVersion !== claims.version) return null;
  return {
    customer,
    rotate: nowSeconds(now) - claims.issuedAt > CUSTOMER_SESSION_ROTATE_SECONDS,
  };
}

/** Ends every session of the customer: tokens issued so far stop working. */
export async function endCustomerSessions(db: Database, customerId: string): Promise<void> {
  await db
    .update(customers)
    .set({ sessionVersion: sql`${customers.sessionVersion} + 1` })
    .where(eq(customers.id, customerId));
}

export function customerCookieHeader(token: string, { secure }: { secure: boolean }): string {
  return [
    `${CUSTOMER_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    `Max-Age=${CUSTOMER_COOKIE_MAX_AGE}`,
    ...cookieScope(secure),
  ].join('; ');
}

/** Removes the cookie (same attributes, or a partitioned cookie would stay). */
export function clearCustomerCookieHeader({ secure }: { secure: boolean }): string {
  return [`${CUSTOMER_COOKIE}=`, 'Path=/', 'HttpOnly', 'Max-Age=0', ...cookieScope(secure)].join(
    '; ',
  );
}

// Over https the widget may sit in an iframe on another site: a cross-site cookie, partitioned per
// embedding site (CHIPS) so browsers that block third-party cookies keep it.
const cookieScope = (secure: boolean) =>
  secure ? ['SameSite=None', 'Secure', 'Partitioned'] : ['SameSite=Lax'];

/** The session token from a request's Cookie header (route handlers that take a plain Request). */
export function customerCookie(request: Request): string | undefined {
  return request.headers
    .get('cookie')
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${CUSTOMER_COOKIE}=`))
    ?.slice(CUSTOMER_COOKIE.length + 1);
}

/**
 * The tokens a widget request carries, in the order to try them: the `x-tandem-session` header
 * (the widget's own copy, which works where third-party cookies are blocked), the cookie, and —
 * for the event stream only — the `session` query parameter.
 */
export function customerSessionTokens(
  request: Request,
  { fromQuery = false }: { fromQuery?: boolean } = {},
): string[] {
  const tokens = [
    request.headers.get(CUSTOMER_SESSION_HEADER)?.trim(),
    customerCookie(request),
    fromQuery ? new URL(request.url).searchParams.get(CUSTOMER_SESSION_QUERY) : undefined,
  ];
  return [...new Set(tokens.filter((t): t is string => Boolean(t)))];
}
