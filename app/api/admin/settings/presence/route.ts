import { savePresenceSettings } from '@/lib/settings/presence';
import { presenceSettingsSchema } from '@/lib/settings/schema';
import { staffRoute } from '../../../staff-route';

/** How long an agent's console may go untouched before they count as away. */
export const PUT = staffRoute(
  { role: 'admin', surface: 'presence_settings', body: presenceSettingsSchema },
  async ({ app, body }) =>
    Response.json({ presence: await savePresenceSettings(app.database.db, body) }),
);
