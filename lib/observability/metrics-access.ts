import { timingSafeEqual } from 'node:crypto';
import { type CookieSource, requireStaff } from '@/lib/auth/staff-session';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';

/**
 * Who may read metrics: a scraper with `Authorization: Bearer <TANDEM_METRICS_TOKEN>`, or a
 * signed-in admin. A wrong token is refused outright rather than falling back to the session.
 */
export async function requireMetricsAccess(
  ctx: Pick<AppContext, 'database' | 'config' | 'secret'>,
  authorization: string | null,
  cookies: CookieSource,
): Promise<void> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (bearer) {
    const expected = ctx.config.observability.metricsToken;
    if (expected && sameSecret(bearer, expected)) return;
    throw new TandemError('unauthorized:metrics', 'That metrics token is not valid.');
  }
  try {
    await requireStaff(ctx, cookies, 'admin');
  } catch (error) {
    if (error instanceof TandemError && error.status === 401) {
      throw new TandemError(
        'unauthorized:metrics',
        'Send Authorization: Bearer <TANDEM_METRICS_TOKEN>, or sign in as an admin.',
      );
    }
    throw error;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
