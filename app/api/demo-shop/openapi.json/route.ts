import { getApp } from '@/lib/server/app';
import { observedRoute } from '../../observed-route';
import { demoShopOpenApi } from '../_lib/openapi';
import { notInstalled, openShopToken } from '../_lib/shop-route';

/** The demo shop's OpenAPI document, present with the demo content (public: it grants nothing). */
export const GET = observedRoute(async (request: Request) => {
  const app = await getApp();
  if (!(await openShopToken(app))) throw notInstalled();
  return Response.json(demoShopOpenApi(new URL(request.url).origin), {
    headers: { 'cache-control': 'public, max-age=300' },
  });
});
