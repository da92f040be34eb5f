import { createHash, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { appSettings } from '@/db/schema';
import { DEMO_SHOP_TOKEN_KEY } from '@/db/seed/demo-shop';
import { isDemoActive } from '@/db/seed/demo-state';
import type { AppContext } from '@/lib/context';
import { TandemError } from '@/lib/errors';
import { getApp } from '@/lib/server/app';
import { observedRoute } from '../../observed-route';
import { withContract } from '../../route-contract';
import {
  type BodyOf,
  checkedParams,
  contractOf,
  type ParamsOf,
  type QueryOf,
  type RouteOptions,
  readRouteInput,
} from '../../route-input';

export interface ShopRequest<O extends RouteOptions> {
  db: Database;
  /** Where the shop is served, for the links it gives (a return label). */
  origin: string;
  params: ParamsOf<O>;
  body: BodyOf<O>;
  query: QueryOf<O>;
}

const SHOP_BODY = 8 * 1024;

/**
 * A route of the demo shop's own API, which the demo's actions call as they would any business's
 * system: present only when the demo content is installed, and open only to a caller holding the
 * shop's bearer token (the demo actions send it as a secret header). Bodies and queries are
 * validated by the route's schemas; errors are JSON like the rest of the desk's.
 */
export function shopRoute<const O extends RouteOptions>(
  options: O,
  handle: (input: ShopRequest<O>) => Promise<Response>,
) {
  const surface = options.surface ?? 'demo_shop';
  const handler = observedRoute(
    async (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => {
      const app = await getApp();
      const { db } = app.database;
      const token = await openShopToken(app);
      if (!token) throw notInstalled();
      if (!holdsToken(request, token)) {
        throw new TandemError(
          'unauthorized:demo_shop',
          'Send the demo shop token as "Authorization: Bearer <token>".',
          undefined,
          { 'www-authenticate': 'Bearer realm="demo-shop"' },
        );
      }
      const params = checkedParams((await context?.params) ?? {});
      const { body, query } = await readRouteInput(request, options, {
        config: app.config,
        surface,
        cookie: false,
        maxBytes: SHOP_BODY,
      });
      return handle({
        db,
        origin: new URL(request.url).origin,
        params: params as ParamsOf<O>,
        body: body as BodyOf<O>,
        query: query as QueryOf<O>,
      });
    },
  );
  return withContract(handler, contractOf({ kind: 'demo-shop' }, options));
}

export const notInstalled = () =>
  new TandemError(
    'not_found:demo_shop',
    'The demo shop is served only by a desk running the demo (TANDEM_DEMO).',
  );

/**
 * The shop's token while the shop is open: TANDEM_DEMO on and the demo content installed and not
 * removed from this desk. Null otherwise, and every shop route then answers 404.
 */
export async function openShopToken(app: Pick<AppContext, 'config' | 'database'>) {
  if (!(await isDemoActive(app.database.db, app.config.demo))) return null;
  return shopToken(app.database.db);
}

/** The shop's bearer token, made when the demo content was installed; null without it. */
export async function shopToken(db: Database): Promise<string | null> {
  const [row] = await db
    .select({ value: appSettings.value })
    .from(appSettings)
    .where(eq(appSettings.key, DEMO_SHOP_TOKEN_KEY));
  return typeof row?.value === 'string' ? row.value : null;
}

function holdsToken(request: Request, token: string): boolean {
  const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!sent) return false;
  // Compared as digests: equal lengths for timingSafeEqual, and no early exit on length.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(sent), digest(token));
}
