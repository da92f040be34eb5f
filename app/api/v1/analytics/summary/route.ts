import { rangeQuery } from '@/app/api/v1/_lib/schemas';
import { dashboardMetrics } from '@/lib/analytics/dashboard';
import { parseDateRange } from '@/lib/analytics/range';
import { apiRoute } from '../../api-route';

/** The dashboard's figures for conversations started in the range (`days` or `from`/`to`). */
export const GET = apiRoute({ scope: 'read', query: rangeQuery }, async ({ app, query }) =>
  Response.json(await dashboardMetrics(app.database.db, parseDateRange(query))),
);
