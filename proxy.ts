import { randomBytes } from 'node:crypto';
import { type NextRequest, NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { requestIdFrom } from '@/lib/observability/request-context';
import {
  API_CONTENT_SECURITY_POLICY,
  baseSecurityHeaders,
  corsHeaders,
  isWidgetApi,
  needsWidgetOrigins,
  pageContentSecurityPolicy,
} from '@/lib/security/headers';

/**
 * In front of every page and route: a request id, the security headers, a per-request CSP nonce
 * for pages, and CORS and framing for the widget limited to the origins an admin allows.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  const https = isHttps(request);
  const requestId = requestIdFrom(request.headers);
  const origins = needsWidgetOrigins(pathname)
    ? await (await import('@/lib/security/widget-origins')).loadWidgetOrigins()
    : [];
  const origin = request.headers.get('origin');
  const headers: Record<string, string> = {
    ...baseSecurityHeaders(https),
    'x-request-id': requestId,
  };
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-request-id', requestId);

  if (pathname.startsWith('/api/') || pathname === '/embed.js') {
    headers['content-security-policy'] = API_CONTENT_SECURITY_POLICY;
    if (isWidgetApi(pathname) || pathname === '/embed.js') {
      headers.vary = 'Origin';
      const crossOrigin = origin !== null && !isSameOrigin(origin, request);
      const preflight =
        request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
      const cors = crossOrigin ? corsHeaders(origin, origins, preflight) : null;
      if (crossOrigin && !cors && pathname !== '/embed.js') {
        return NextResponse.json(
          {
            error: {
              code: 'forbidden:origin',
              message: `${origin} may not use this chat. An admin can allow it under Settings → Allowed widget origins.`,
            },
          },
          { status: 403, headers },
        );
      }
      Object.assign(headers, cors);
      if (preflight) return new NextResponse(null, { status: 204, headers });
    }
  } else {
    const nonce = randomBytes(16).toString('base64');
    const policy = pageContentSecurityPolicy({
      nonce,
      frameAncestors: pathname === '/widget' ? origins : [],
      https,
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
