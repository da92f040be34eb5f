import { z } from 'zod';
import { type App, getApp } from '@/lib/app';
import { requireStaff } from '@/lib/auth/staff-session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { audit } from '@/lib/privacy/audit';
import type { Role, StaffUser } from '@/lib/staff/queries';
import { observedRoute } from './observed-route';

type Params = Record<string, string>;

export interface StaffRequest<P extends Params> {
  app: App;
  staff: StaffUser;
  request: Request;
  params: P;
}

/**
 * A console or admin route: the caller must be signed-in staff with at least `role`, and ids in
 * the path must be UUIDs (anything else is simply "not found"). Errors become JSON responses.
 */
export function staffRoute<P extends Params = Params>(
  role: Role,
  handle: (input: StaffRequest<P>) => Promise<Response>,
  /** `audit: false` for signals with no lasting effect (typing), which would only flood the log. */
  { audit: audited = true }: { audit?: boolean } = {},
) {
  return observedRoute(async (request: Request, context: { params: Promise<P> }) => {
    try {
      const app = await getApp();
      const staff = await requireStaff(app, request, role);
      const params = ((await context?.params) ?? {}) as P;
      for (const [name, value] of Object.entries(params)) {
        if (name === 'id' && !z.uuid().safeParse(value).success) {
          throw new TandemError('not_found:resource', 'Nothing here has that id.');
        }
      }
      const response = await handle({ app, staff, request, params });
      // Every change staff make is on the audit trail (reads of customer data log themselves).
      if (response.headers.has(AUDITED_HEADER)) response.headers.delete(AUDITED_HEADER);
      else if (audited && request.method !== 'GET' && response.ok) {
        await audit(
          app.database.db,
          { type: 'staff', id: staff.id, name: staff.name },
          `${request.method} ${routeTemplate(request, params)}`,
          params.id ? { type: 'resource', id: params.id } : undefined,
        );
      }
      return response;
    } catch (error) {
      if (!(error instanceof TandemError))
        log.error({ err: error, url: request.url }, 'route failed');
      return toErrorResponse(error);
    }
  });
}

/** Set by a route that wrote its own, more precise audit entry (e.g. erasure, which must not name its subject). */
export const AUDITED_HEADER = 'x-tandem-audited';

/** Console request bodies are small JSON objects. */
export const SMALL_BODY = 64 * 1024;

/** The path with its id shown as [id], so the audit trail groups alike requests. */
function routeTemplate(request: Request, params: Record<string, string>): string {
  let path = new URL(request.url).pathname;
  for (const [name, value] of Object.entries(params)) path = path.replace(value, `[${name}]`);
  return path;
}
