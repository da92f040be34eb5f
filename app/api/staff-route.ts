import { z } from 'zod';
import { type App, getApp } from '@/lib/app';
import { requireStaff } from '@/lib/auth/staff-session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
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
      return await handle({ app, staff, request, params });
    } catch (error) {
      if (!(error instanceof TandemError))
        log.error({ err: error, url: request.url }, 'route failed');
      return toErrorResponse(error);
    }
  });
}

/** Console request bodies are small JSON objects. */
export const SMALL_BODY = 64 * 1024;
