import {
  type ApiCaller,
  type ApiScope,
  authenticateApiKey,
  requireScope,
} from '@/lib/api-keys/keys';
import type { AppContext } from '@/lib/context';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { rateLimitHeaders, slidingWindowLimit } from '@/lib/rate-limit/sliding-window';
import { getApp } from '@/lib/server/app';
import { observedRoute } from '../observed-route';
import { withContract } from '../route-contract';
import {
  type BodyOf,
  checkedParams,
  contractOf,
  type ParamsOf,
  type QueryOf,
  type RouteOptions,
  readRouteInput,
} from '../route-input';

export interface ApiRouteOptions extends RouteOptions {
  /** The scope the key must hold. */
  scope: ApiScope;
}

export interface ApiRequest<O extends ApiRouteOptions> {
  app: AppContext;
  caller: ApiCaller;
  request: Request;
  params: ParamsOf<O>;
  body: BodyOf<O>;
  query: QueryOf<O>;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** API bodies are small JSON objects unless a route says otherwise. */
export const API_BODY = 64 * 1024;

/**
 * A public API route: a valid key with `scope`, within its per-minute rate limit; the body and
 * query validated by the route's schemas before the handler runs. Every response — success or
 * error — carries the X-RateLimit headers. Keys are not cookies, so no Origin or Content-Type
 * rule applies: a JSON body is read whatever its declared type, as it always was.
 */
export function apiRoute<const O extends ApiRouteOptions>(
  options: O,
  handle: (input: ApiRequest<O>) => Promise<Response>,
) {
  const surface = options.surface ?? 'api';
  const handler = observedRoute(async (request: Request, context: RouteContext) => {
    let headers: Record<string, string> = {};
    try {
      const app = await getApp();
      const caller = await authenticateApiKey(
        app.database.db,
        request.headers.get('authorization'),
      );
      const limit = await slidingWindowLimit(
        app.cache,
        `api:${caller.keyId}`,
        caller.rateLimitPerMinute,
      );
      headers = rateLimitHeaders(limit);
      if (!limit.allowed) {
        throw new TandemError(
          'rate_limited:api',
          `This key is limited to ${caller.rateLimitPerMinute} requests a minute; retry in ${limit.retryAfterSeconds} s.`,
        );
      }
      requireScope(caller, options.scope);
      const params = checkedParams((await context?.params) ?? {}, { decode: true });
      const { body, query } = await readRouteInput(request, options, {
        config: app.config,
        surface,
        cookie: false,
        maxBytes: API_BODY,
      });
      const response = await handle({
        app,
        caller,
        request,
        params: params as ParamsOf<O>,
        body: body as BodyOf<O>,
        query: query as QueryOf<O>,
      });
      for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
      return response;
    } catch (error) {
      if (!(error instanceof TandemError))
        log.error({ err: error, url: request.url }, 'api request failed');
      return toErrorResponse(error, headers);
    }
  });
  return withContract(handler, contractOf({ kind: 'api', scope: options.scope }, options));
}

export const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
