import { conversationsCsv } from '@/lib/analytics/export';
import { formatDay, parseDateRange } from '@/lib/analytics/range';
import { staffRoute } from '../../../staff-route';
import { dateRangeQuery } from '../../schemas';

export const GET = staffRoute(
  { role: 'admin', surface: 'export', query: dateRangeQuery },
  async ({ app, query }) => {
    const range = parseDateRange(query);
    return new Response(conversationsCsv(app.database.db, range), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="conversations-${formatDay(range.from)}.csv"`,
        'cache-control': 'no-store',
      },
    });
  },
);
