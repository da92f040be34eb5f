import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { metricsCsv } from '@/lib/analytics/export';
import { formatDay, parseDateRange } from '@/lib/analytics/range';
import { staffRoute } from '../../../staff-route';
import { dateRangeQuery } from '../../schemas';

export const GET = staffRoute(
  { role: 'admin', surface: 'export', query: dateRangeQuery },
  async ({ app, query }) => {
    const range = parseDateRange(query);
    const metrics = await dashboardMetrics(app.database.db, range);
    return new Response(metricsCsv(metrics), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="metrics-${formatDay(range.from)}.csv"`,
        'cache-control': 'no-store',
      },
    });
  },
);
