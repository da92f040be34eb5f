import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { metricsCsv } from '@/lib/analytics/export';
import { formatDay, parseDateRange } from '@/lib/analytics/range';
import { staffRoute } from '../../../staff-route';

export const GET = staffRoute('admin', async ({ app, request }) => {
  const range = parseDateRange(new URL(request.url).searchParams);
  const metrics = await dashboardMetrics(app.database.db, range);
  return new Response(metricsCsv(metrics), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="metrics-${formatDay(range.from)}.csv"`,
      'cache-control': 'no-store',
    },
  });
});
