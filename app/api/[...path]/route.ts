import { TandemError, toErrorResponse } from '@/lib/errors';
import { observedRoute } from '../observed-route';

/**
 * Any /api path no route serves: a JSON 404 with a code instead of Next's HTML page. Next tries
 * every other route first, so this only answers what nothing else would.
 */
const notFound = observedRoute(async (request: Request) => {
  const { pathname } = new URL(request.url);
  const shown = pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname;
  return toErrorResponse(
    new TandemError(
      'not_found:route',
      `There is no API at ${shown}. The public API is described at /api/v1/openapi.json.`,
    ),
  );
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
