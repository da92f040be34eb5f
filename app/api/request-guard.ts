import { TandemError } from '@/lib/errors';
import type { RouteContract } from './route-contract';

/** Methods that change nothing: cookie-authenticated routes let them through unchecked. */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/**
 * Whether a state-changing request comes from the desk's own pages (or, for widget routes, a site
 * an admin allows) rather than a page of another origin riding on the browser's cookies. Browsers
 * say where a request comes from in `Sec-Fetch-Site` and `Origin`; SameSite=Lax does not stop a
 * sibling subdomain or another port of the same host, which are the same site. A request with
 * neither header does not come from a browser, so it carries no victim's cookies to abuse.
 */
export function isTrustedOrigin(
  request: Request,
  { widgetOrigins = [] }: { widgetOrigins?: readonly string[] } = {},
): boolean {
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  const allowedWidget = origin !== null && widgetOrigins.includes(origin);
  if (site !== null) return site === 'same-origin' || allowedWidget;
  if (origin === null) return true;
  return isDeskOrigin(origin, request) || allowedWidget;
}

/** The origin is this desk as the browser addressed it (through any proxy). */
export function isDeskOrigin(origin: string, request: Request): boolean {
  const host =
    request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() ||
    request.headers.get('host') ||
    new URL(request.url).host;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Refuses (403) a state-changing request from an origin that may not make it. */
export function refuseForeignOrigin(
  request: Request,
  options: { widgetOrigins?: readonly string[]; widget?: boolean } = {},
): void {
  if (isSafeMethod(request.method) || isTrustedOrigin(request, options)) return;
  const from = request.headers.get('origin') ?? 'another site';
  throw new TandemError(
    'forbidden:origin',
    options.widget
      ? `${from} may not use this chat. An admin can allow it under Settings → Allowed widget origins.`
      : `This request came from ${from}, not from this desk's own pages, so it was refused. Make the change from the desk itself.`,
  );
}

/** How a request's body is sent, as its Content-Type says. */
export type BodyKind = 'json' | 'multipart' | 'none';

/**
 * What a state-changing, cookie-authenticated request carries, refused (415) unless it is what the
 * route accepts: JSON, multipart form data where the route takes files, or no Content-Type at all
 * (the caller then checks that the body is empty). A `text/plain` or form-encoded body is what a
 * page of another site can send without asking the browser first, so it is never read as JSON.
 */
export function requireMediaType(
  request: Request,
  { accepts, surface }: { accepts: RouteContract['accepts']; surface: string },
): BodyKind {
  const type = mediaTypeOf(request);
  if (type === 'application/json') return 'json';
  if (type === 'multipart/form-data' && accepts === 'multipart') return 'multipart';
  if (type === null && Number(request.headers.get('content-length') ?? 0) === 0) return 'none';
  throw unsupportedMediaType(surface, accepts, type);
}

export function unsupportedMediaType(
  surface: string,
  accepts: RouteContract['accepts'],
  type: string | null,
): TandemError {
  const wanted =
    accepts === 'multipart'
      ? 'a file as multipart/form-data, or JSON (Content-Type: application/json)'
      : accepts === 'none'
        ? 'no body, or JSON (Content-Type: application/json)'
        : 'JSON (Content-Type: application/json)';
  return new TandemError(
    `unsupported_media_type:${surface}`,
    `${type ? `A ${type} body is not accepted here` : 'A body without a Content-Type is not accepted here'}: send ${wanted}.`,
  );
}

/** The media type without parameters, lower-cased; null when the request declares none. */
export function mediaTypeOf(request: Request): string | null {
  const header = request.headers.get('content-type');
  if (header === null) return null;
  return header.split(';')[0]!.trim().toLowerCase() || null;
}
