import { widgetSettingsSchema } from '@/lib/settings/schema';
import {
  getWidgetSettings,
  resetWidgetSettings,
  saveWidgetSettings,
} from '@/lib/settings/settings';
import { staffRoute } from '../../../staff-route';

export const PUT = staffRoute(
  { role: 'admin', surface: 'widget_settings', body: widgetSettingsSchema },
  async ({ app, body }) =>
    Response.json({ widget: await saveWidgetSettings(app.database.db, body) }),
);

/** Back to the defaults Tandem ships with. */
export const DELETE = staffRoute({ role: 'admin', surface: 'widget_settings' }, async ({ app }) => {
  await resetWidgetSettings(app.database.db);
  return Response.json({ widget: await getWidgetSettings(app.database.db) });
});
