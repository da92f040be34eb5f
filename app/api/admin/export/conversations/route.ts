import { conversationsCsv } from '@/lib/analytics/export';
import { formatDay, parseDateRange } from '@/lib/analytics/range';
import { staffRoute } from '../../../staff-route';

export const GET = staffRoute('admin', async ({ app, request }) => {
  const range = parseDateRange(new URL(request.url).searchParams);
  return new Response(conversationsCsv(app.database.db, range), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="conversations-${formatDay(range.from)}.csv"`,
      'cache-control': 'no-store',
    },
  });
});
