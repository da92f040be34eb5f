import { getRetention, retentionSchema, saveRetention } from '@/lib/privacy/retention';
import { readJsonBody } from '../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../staff-route';

export const GET = staffRoute('admin', async ({ app }) =>
  Response.json(await getRetention(app.database.db)),
);

/** Retention periods per kind of data; the hourly maintenance job applies them. */
export const PUT = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, retentionSchema, {
    surface: 'retention',
    maxBytes: SMALL_BODY,
  });
  return Response.json(await saveRetention(app.database.db, input));
});
