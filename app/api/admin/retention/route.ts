import { getRetention, retentionSchema, saveRetention } from '@/lib/privacy/retention';
import { staffRoute } from '../../staff-route';

export const GET = staffRoute({ role: 'admin', surface: 'retention' }, async ({ app }) =>
  Response.json(await getRetention(app.database.db)),
);

/** Retention periods per kind of data; the hourly maintenance job applies them. */
export const PUT = staffRoute(
  { role: 'admin', surface: 'retention', body: retentionSchema },
  async ({ app, body }) => Response.json(await saveRetention(app.database.db, body)),
);
