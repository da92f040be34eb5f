import { renderMetrics } from '@/lib/observability/metrics';
import { requireMetricsAccess } from '@/lib/observability/metrics-access';
import { countJobsByStatus } from '@/lib/observability/queries';
import { getApp } from '@/lib/server/app';
import { observedRoute } from '../observed-route';

export const dynamic = 'force-dynamic';

/** Prometheus metrics, for a scraper with the metrics token or a signed-in admin. */
export const GET = observedRoute(async (request: Request) => {
  const app = await getApp();
  await requireMetricsAccess(app, request.headers.get('authorization'), request);
  const { contentType, body } = await renderMetrics(() => countJobsByStatus(app.database.db));
  return new Response(body, {
    headers: { 'content-type': contentType, 'cache-control': 'no-store' },
  });
});
