import type { AppContext } from '@/lib/context';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { runWithApp } from './app';

/** A route handler as Next calls it: the request and the dynamic segments of its path. */
type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

/**
 * One of the desk's own routes, for a desk that serves no HTTP: its path as the app folder names
 * it (`/api/things/[id]`, `/api/files/[...path]`) and its module (`route.ts`), loaded on first use.
 */
export interface OwnRoute {
  path: string;
  load: () => Promise<Record<string, unknown>>;
}

/** The dynamic segments of `pathname` when it is `pattern`'s; null when it is not. */
export function matchRoutePath(
  pattern: string,
  pathname: string,
): Record<string, string | string[]> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = pathname.split('/').filter(Boolean);
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    const catchAll = /^\[\.\.\.(\w+)\]$/.exec(segment);
    if (catchAll) {
      if (i !== want.length - 1 || got.length <= i) return null;
      params[catchAll[1]!] = got.slice(i).map(decodeSegment);
      return params;
    }
    if (i >= got.length) return null;
    const dynamic = /^\[(\w+)\]$/.exec(segment);
    if (dynamic) params[dynamic[1]!] = decodeSegment(got[i]!);
    else if (segment !== got[i]) return null;
  }
  return want.length === got.length ? params : null;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Answers requests for the desk's own routes in this process, with `app` as the app their
 * handlers get (lib/server/app.ts `getApp`): what a sandbox sets as its `serveOwnRequest`, so its
 * actions reach the desk's routes on the sandbox's database. A static segment wins over a dynamic
 * one, as in Next's router; a path with no route answers 404, a method it lacks 405.
 */
export function ownRouteServer(app: AppContext, routes: readonly OwnRoute[]) {
  const ordered = [...routes].sort(
    (a, b) => (a.path.match(/\[/g)?.length ?? 0) - (b.path.match(/\[/g)?.length ?? 0),
  );
  return async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    for (const route of ordered) {
      const params = matchRoutePath(route.path, pathname);
      if (!params) continue;
      const module = await route.load();
      const handler = module[request.method];
      if (typeof handler !== 'function') {
        return toErrorResponse(
          new TandemError('method_not_allowed:route', `${request.method} is not served here.`),
        );
      }
      return runWithApp(app, () =>
        (handler as RouteHandler)(request, { params: Promise.resolve(params) }),
      );
    }
    return toErrorResponse(new TandemError('not_found:route', `Nothing is served at ${pathname}.`));
  };
}
