import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { parseDateRange } from '@/lib/analytics/range';
import { rangeQuery } from '@/lib/api/schemas';
import { invalidInput } from '@/lib/errors';
import { apiRoute } from '../../api-route';

/** The dashboard's figures for conversations started in the range (`days` or `from`/`to`). */
export const GET = apiRoute('read', async ({ app, request }) => {
  const parsed = rangeQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw invalidInput('api', parsed.error);
  return Response.json(await dashboardMetrics(app.database.db, parseDateRange(parsed.data)));
});
