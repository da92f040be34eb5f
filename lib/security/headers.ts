/** Paths whose browser callers may be the sites an admin allows (CORS). */
export function isWidgetApi(pathname: string): boolean {
  return /^\/api\/(chat|widget)(\/|$)/.test(pathname);
}

/** Responses that depend on the allowed widget origins. */
export function needsWidgetOrigins(pathname: string): boolean {
  return pathname === '/widget' || pathname === '/embed.js' || isWidgetApi(pathname);
}

/** Pages that show the business's logo: the widget, and the chat launcher on the front page and help center. */
export function showsBrandLogo(pathname: string): boolean {
  return (
    pathname === '/' || pathname === '/widget' || pathname === '/kb' || pathname.startsWith('/kb/')
  );
}

/**
 * The page where an admin types a logo's address and sees it before saving: any https image may load
 * there, as the address is not the configured one yet. Scripts still need the page's nonce.
 */
export function previewsLogo(pathname: string): boolean {
  return pathname === '/admin/setup';
}

/**
 * Where a configured logo loads from, as an img-src source: the origin of an https address (only
 * that one site, not every https image), none for an uploaded logo (a data: URL is allowed anyway).
 */
export function logoImageSource(logo: string | null | undefined): string | null {
  if (!logo) return null;
  try {
    const url = new URL(logo);
    return url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Headers for every response, page or API. */
export function baseSecurityHeaders(https: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy':
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    // Only over https: a browser that saw HSTS on plain http would ignore it anyway.
    ...(https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/**
 * The page policy: scripts only with this response's nonce (Next puts it on its own inline and
 * bundle scripts) or loaded by them; inline styles stay allowed because Radix and recharts set
 * style attributes. `frameAncestors` is 'self' plus, on /widget, the allowed widget origins;
 * `imageSources` adds sites images may come from (the logo's, on pages that show it).
 */
export function pageContentSecurityPolicy(input: {
  nonce: string;
  frameAncestors: string[];
  imageSources?: string[];
  https: boolean;
  development: boolean;
}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${input.nonce}' 'strict-dynamic'${input.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...(input.imageSources ?? [])].join(' '),
    "font-src 'self' data:",
    `connect-src 'self'${input.development ? ' ws: wss:' : ''}`,
    "media-src 'self' data: blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${["'self'", ...input.frameAncestors].join(' ')}`,
    ...(input.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** API responses and scripts render nothing, so they may load nothing. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'self'";

const CORS_METHODS = 'GET, POST, DELETE, OPTIONS';
// x-tandem-session: the widget's session token, sent and handed back as a header where a
// third-party frame cannot keep the cookie.
const CORS_HEADERS = 'content-type, x-request-id, last-event-id, x-tandem-session';
const CORS_EXPOSED =
  'x-conversation-id, x-request-id, x-tandem-session, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset';

/** CORS headers for an allowed origin; none for any other. Credentials carry the widget session. */
export function corsHeaders(
  origin: string | null,
  allowed: readonly string[],
  preflight: boolean,
): Record<string, string> | null {
  if (!origin || !allowed.includes(origin)) return null;
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': CORS_EXPOSED,
    ...(preflight
      ? {
          'access-control-allow-methods': CORS_METHODS,
          'access-control-allow-headers': CORS_HEADERS,
          'access-control-max-age': '600',
        }
      : {}),
  };
}
