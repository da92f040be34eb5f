import { scheduleInactivitySweep } from '@/lib/jobs/inactivity';
import { saveInactivitySettings } from '@/lib/settings/inactivity';
import { inactivitySettingsSchema } from '@/lib/settings/schema';
import { staffRoute } from '../../../staff-route';

/** The inactivity policy: saved, and its sweep queued when it is on (it stops itself when off). */
export const PUT = staffRoute(
  { role: 'admin', surface: 'inactivity', body: inactivitySettingsSchema },
  async ({ app, body }) => {
    const inactivity = await saveInactivitySettings(app.database.db, body);
    await scheduleInactivitySweep(app.database.db);
    return Response.json({ inactivity });
  },
);
