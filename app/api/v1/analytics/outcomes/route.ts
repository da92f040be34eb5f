import { outcomesJson } from '@/app/api/v1/_lib/outcomes';
import { rangeQuery } from '@/app/api/v1/_lib/schemas';
import { outcomeBreakdown } from '@/lib/analytics/outcomes';
import { parseDateRange } from '@/lib/analytics/range';
import { apiRoute } from '../../api-route';

/** How the conversations started in the range (`days` or `from`/`to`) ended, with each definition. */
export const GET = apiRoute({ scope: 'read', query: rangeQuery }, async ({ app, query }) => {
  const range = parseDateRange(query);
  return Response.json(outcomesJson(range, await outcomeBreakdown(app.database.db, { range })));
});
