import { randomBytes } from 'node:crypto';
import { type NextRequest, NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { TandemError } from '@/lib/errors';
import { log } from '@/lib/log';
import { requestIdFrom } from '@/lib/observability/request-context';
import { allowedMethods, matchApiRoute } from '@/lib/security/api-routes';
import {
  API_CONTENT_SECURITY_POLICY,
  baseSecurityHeaders,
  corsHeaders,
  isWidgetApi,
  logoImageSource,
  needsWidgetOrigins,
  pageContentSecurityPolicy,
  previewsLogo,
  showsBrandLogo,
} from '@/lib/security/headers';
import { findUrlProblem } from '@/lib/security/url-check';

const DATABASE_RETRY_SECONDS = 5;

/**
 * In front of every page and route: a request id, the security headers, a per-request CSP nonce
 * for pages, and CORS and framing for the widget limited to the origins an admin allows. On
 * /api/** it also answers, as JSON with a code, what would otherwise fail before any route runs:
 * a URL that cannot be decoded, a method the route does not serve, and an outage while loading
 * the widget origins.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  const api = isApi(pathname);
  const requestId = requestIdFrom(request.headers);
  try {
    return await guard(request, requestId);
  } catch (error) {
    if (!api) throw error;
    log.error({ err: error, requestId, path: pathname }, 'proxy failed');
    return jsonError(
      new TandemError('internal:server', 'Something went wrong on our side. Please try again.'),
      baseHeaders(request, requestId),
    );
  }
}

async function guard(request: NextRequest, requestId: string): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  const headers = baseHeaders(request, requestId);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-request-id', requestId);
  const api = isApi(pathname);

  if (api) {
    const problem = findUrlProblem(request.url);
    if (problem) {
      const { message, ...details } = problem;
      return jsonError(new TandemError('bad_request:url', message, details), headers);
    }
    // Deeper paths no route serves reach app/api/[...path], which needs a segment.
    if (pathname === '/api') {
      return jsonError(
        new TandemError(
          'not_found:route',
          'There is no API at /api. The public API is described at /api/v1/openapi.json.',
        ),
        headers,
      );
    }
  }

  let origins: string[] = [];
  if (needsWidgetOrigins(pathname)) {
    try {
      const [{ getApp }, { getWidgetOrigins }] = await Promise.all([
        import('@/lib/server/app'),
        import('@/lib/settings/settings'),
      ]);
      origins = await getWidgetOrigins((await getApp()).database.db);
    } catch (error) {
      log.error({ err: error, requestId, path: pathname }, 'could not load the widget origins');
      if (api) {
        return jsonError(
          new TandemError(
            'unavailable:database',
            `The chat cannot reach its database right now. Please try again in a few seconds.`,
            { retryAfterSeconds: DATABASE_RETRY_SECONDS },
          ),
          { ...headers, 'retry-after': String(DATABASE_RETRY_SECONDS) },
        );
      }
      if (pathname === '/widget') return widgetUnavailable(headers);
      // The loader script is the same for every site; only its CORS headers need the origins.
    }
  }

  if (api || pathname === '/embed.js') {
    headers['content-security-policy'] = API_CONTENT_SECURITY_POLICY;
    if (isWidgetApi(pathname) || pathname === '/embed.js') {
      const origin = request.headers.get('origin');
      headers.vary = 'Origin';
      const crossOrigin = origin !== null && !isSameOrigin(origin, request);
      const preflight =
        request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
      const cors = crossOrigin ? corsHeaders(origin, origins, preflight) : null;
      if (crossOrigin && !cors && pathname !== '/embed.js') {
        return jsonError(
          new TandemError(
            'forbidden:origin',
            `${origin} may not use this chat. An admin can allow it under Settings → Allowed widget origins.`,
          ),
          headers,
        );
      }
      Object.assign(headers, cors);
      if (preflight) return new NextResponse(null, { status: 204, headers });
    }
    if (api) {
      const route = matchApiRoute(decodedPath(pathname));
      if (route) {
        const allowed = allowedMethods(route.methods);
        if (!allowed.includes(request.method)) {
          return jsonError(
            new TandemError(
              'method_not_allowed:route',
              `${route.route} does not accept ${request.method}; it accepts ${allowed.join(', ')}.`,
              { allowed },
            ),
            { ...headers, allow: allowed.join(', ') },
          );
        }
      }
    }
  } else {
    const nonce = randomBytes(16).toString('base64');
    const logoSource = previewsLogo(pathname)
      ? 'https:'
      : showsBrandLogo(pathname)
        ? await loadLogoSource(requestId, pathname)
        : null;
    const policy = pageContentSecurityPolicy({
      nonce,
      frameAncestors: pathname === '/widget' ? origins : [],
      imageSources: logoSource ? [logoSource] : [],
      https: isHttps(request),
      development: getConfig().env === 'development',
    });
    headers['content-security-policy'] = policy;
    // Next reads the nonce from the request's policy and puts it on the scripts it renders.
    requestHeaders.set('content-security-policy', policy);
    requestHeaders.set('x-nonce', nonce);
  }

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** The configured logo's site, so the page may load it; without the database, no logo (not no page). */
async function loadLogoSource(requestId: string, pathname: string): Promise<string | null> {
  try {
    const [{ getApp }, { getBranding }] = await Promise.all([
      import('@/lib/server/app'),
      import('@/lib/settings/desk-setup'),
    ]);
    return logoImageSource((await getBranding((await getApp()).database.db)).logo);
  } catch (error) {
    log.error({ err: error, requestId, path: pathname }, 'could not load the logo setting');
    return null;
  }
}

const isApi = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

function baseHeaders(request: NextRequest, requestId: string): Record<string, string> {
  return {
    ...baseSecurityHeaders(isHttps(request)),
    'x-request-id': requestId,
    'content-security-policy': API_CONTENT_SECURITY_POLICY,
  };
}

function jsonError(error: TandemError, headers: Record<string, string>) {
  return NextResponse.json(error.toJSON(), { status: error.status, headers });
}

/** Checked by findUrlProblem first, so every segment decodes. */
function decodedPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => decodeURIComponent(segment))
    .join('/');
}

/**
 * The widget frame while its settings cannot be read: a static notice with no script and no
 * link, so it is harmless in any frame, and the embedding site shows it instead of a broken frame.
 */
function widgetUnavailable(headers: Record<string, string>): NextResponse {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Chat unavailable</title></head>' +
    '<body style="font-family:system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;color:#334155;text-align:center;padding:1.5rem;box-sizing:border-box">' +
    '<main><h1 style="font-size:1.1rem;margin:0 0 .5rem">Chat is unavailable right now</h1><p style="margin:0">Please try again in a minute.</p></main></body></html>';
  return new NextResponse(html, {
    status: 503,
    headers: {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(DATABASE_RETRY_SECONDS),
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *",
    },
  });
}

function isHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return (forwarded ?? request.nextUrl.protocol.replace(':', '')) === 'https';
}

/** Same site as the request's own host (as the browser addressed it, through any proxy). */
function isSameOrigin(origin: string, request: NextRequest): boolean {
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === (host ?? request.nextUrl.host);
  } catch {
    return false;
  }
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon\\.svg).*)'],
};
