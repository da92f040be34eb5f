import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { getMetrics } from '@/lib/observability/metrics';
import { requestIdFrom, runWithRequestContext } from '@/lib/observability/request-context';

type RouteParams = Record<string, string | string[]>;
type RouteContext = { params: Promise<RouteParams> } | undefined;

/**
 * The path as its route template, e.g. /api/console/conversations/[id]: each segment holding a
 * param's value is put back as the param's name, so metrics keep one series per route rather than
 * one per id.
 */
export function routeTemplate(pathname: string, params: RouteParams | undefined): string {
  if (!params) return pathname;
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      names.set(v, Array.isArray(value) ? `[...${name}]` : `[${name}]`);
    }
  }
  const segments = pathname.split('/').map((segment) => {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {}
    return names.get(decoded) ?? segment;
  });
  // A catch-all's segments collapse into one `[...name]`.
  return segments.filter((s, i) => !(s.startsWith('[...') && segments[i - 1] === s)).join('/');
}

/**
 * Every API route goes through here: a request id (the caller's `x-request-id` or a new one) on
 * the response and on each log line written while handling it; the request counted and timed by
 * route and status; one access-log line without bodies.
 */
export function observedRoute<R extends Request, C extends RouteContext>(
  handle: (request: R, context: C) => Promise<Response>,
) {
  return async (request: R, context?: C): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    const started = performance.now();
    const response = await runWithRequestContext({ requestId }, async () => {
      try {
        return await handle(request, context as C);
      } catch (error) {
        if (!(error instanceof TandemError))
          log.error({ err: error, url: request.url }, 'route failed');
        return toErrorResponse(error);
      }
    });
    const seconds = (performance.now() - started) / 1000;
    // Next passes no params (or a plain object) to routes without dynamic segments.
    const params = context?.params
      ? await Promise.resolve(context.params).catch(() => undefined)
      : undefined;
    const labels = {
      route: routeTemplate(new URL(request.url).pathname, params),
      method: request.method,
      status: String(response.status),
    };
    const metrics = getMetrics();
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
    log.info(
      { requestId, ...labels, ms: Math.round(seconds * 1000) },
      `${request.method} ${labels.route} ${response.status}`,
    );
    return withHeader(response, 'x-request-id', requestId);
  };
}

function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    // Some responses (e.g. Response.redirect) have immutable headers: copy them.
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}
