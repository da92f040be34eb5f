import { z } from 'zod';
import { requireStaff } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { audit } from '@/lib/privacy/audit';
import { getApp } from '@/lib/server/app';
import type { Role, StaffUser } from '@/lib/staff/queries';
import { truncateText } from '@/lib/text/truncate';
import { observedRoute } from './observed-route';
import { refuseForeignOrigin } from './request-guard';
import { withContract } from './route-contract';
import {
  type BodyOf,
  checkedParams,
  contractOf,
  type ParamsOf,
  type QueryOf,
  type RouteOptions,
  readRouteInput,
} from './route-input';

export interface StaffRouteOptions extends RouteOptions {
  /** The least role that may call the route. */
  role: Role;
  /** `false` for signals with no lasting effect (typing), which would only flood the audit log. */
  audit?: boolean;
}

export interface StaffRequest<O extends StaffRouteOptions> {
  app: AppContext;
  staff: StaffUser;
  request: Request;
  params: ParamsOf<O>;
  body: BodyOf<O>;
  query: QueryOf<O>;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * A console or admin route: the caller must be signed-in staff with at least `role`; a
 * state-changing request must come from the desk's own pages and carry JSON (or a file where the
 * route takes one); ids in the path must be UUIDs (anything else is simply "not found"); the body
 * and query are validated by the route's schemas before the handler runs. Errors become JSON
 * responses, and every change lands on the audit trail.
 */
export function staffRoute<const O extends StaffRouteOptions>(
  options: O,
  handle: (input: StaffRequest<O>) => Promise<Response>,
) {
  const surface = options.surface ?? (options.role === 'admin' ? 'admin' : 'console');
  const handler = observedRoute(async (request: Request, context: RouteContext) => {
    try {
      const app = await getApp();
      const staff = await requireStaff(app, request, options.role);
      refuseForeignOrigin(request);
      const params = checkedParams((await context?.params) ?? {});
      if (params.id !== undefined && !z.uuid().safeParse(params.id).success) {
        throw new TandemError('not_found:resource', 'Nothing here has that id.');
      }
      const { body, query } = await readRouteInput(request, options, {
        config: app.config,
        surface,
        cookie: true,
        maxBytes: SMALL_BODY,
      });
      const response = await handle({
        app,
        staff,
        request,
        params: params as ParamsOf<O>,
        body: body as BodyOf<O>,
        query: query as QueryOf<O>,
      });
      // Every change staff make is on the audit trail (reads of customer data log themselves).
      if (response.headers.has(AUDITED_HEADER)) response.headers.delete(AUDITED_HEADER);
      else if (options.audit !== false && request.method !== 'GET' && response.ok) {
        await audit(
          app.database.db,
          { type: 'staff', id: staff.id, name: staff.name },
          `${request.method} ${routeTemplate(request, params)}`,
          params.id ? { type: 'resource', id: params.id } : undefined,
          namedIn(body),
        );
      }
      return response;
    } catch (error) {
      if (!(error instanceof TandemError))
        log.error({ err: error, url: request.url }, 'route failed');
      return toErrorResponse(error);
    }
  });
  return withContract(handler, contractOf({ kind: 'staff', role: options.role }, options));
}

/** Set by a route that wrote its own, more precise audit entry (e.g. erasure, which must not name its subject). */
export const AUDITED_HEADER = 'x-tandem-audited';

/** Console request bodies are small JSON objects. */
export const SMALL_BODY = 64 * 1024;

/**
 * The name or title a change gave what it made ("the API key 'shop'"), so the audit log can say
 * it in words; only these labels are kept, never the rest of a body (passwords, message text).
 */
function namedIn(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  const named: Record<string, string> = {};
  for (const field of ['name', 'title'] as const) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.trim()) named[field] = truncateText(value.trim(), 120);
  }
  return named;
}

/** The path with its id shown as [id], so the audit trail groups alike requests. */
function routeTemplate(request: Request, params: Record<string, string>): string {
  let path = new URL(request.url).pathname;
  for (const [name, value] of Object.entries(params)) path = path.replace(value, `[${name}]`);
  return path;
}
