import type { z } from 'zod';
import { type ApiCaller, type ApiScope, authenticateApiKey, requireScope } from '@/lib/api/keys';
import { rateLimitHeaders, slidingWindowLimit } from '@/lib/api/rate-limit';
import { type App, getApp } from '@/lib/app';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { observedRoute } from '../observed-route';
import { readJsonBody } from '../read-json-body';

export interface ApiRequest<P> {
  app: App;
  caller: ApiCaller;
  request: Request;
  params: P;
}

/**
 * A public API route: a valid key with `scope`, within its per-minute rate limit. Every
 * response — success or error — carries the X-RateLimit headers.
 */
export function apiRoute<P extends Record<string, string> = Record<string, string>>(
  scope: ApiScope,
  handle: (input: ApiRequest<P>) => Promise<Response>,
) {
  return observedRoute(async (request: Request, context: { params: Promise<P> }) => {
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
      requireScope(caller, scope);
      const response = await handle({
        app,
        caller,
        request,
        params: (await context?.params) ?? ({} as P),
      });
      for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
      return response;
    } catch (error) {
      if (!(error instanceof TandemError))
        log.error({ err: error, url: request.url }, 'api request failed');
      return toErrorResponse(error, headers);
    }
  });
}

export const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** A JSON body that may be left out entirely (actions whose fields are all optional). */
export async function optionalJson<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.infer<T>> {
  const length = Number(request.headers.get('content-length') ?? 0);
  if (!length && !request.headers.get('content-type')) return schema.parse({});
  return readJsonBody(request, schema, { surface: 'api', maxBytes: 64 * 1024 });
}
