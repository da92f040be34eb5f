import { widgetSettingsSchema } from '@/lib/settings/schema';
import {
  getWidgetSettings,
  resetWidgetSettings,
  saveWidgetSettings,
} from '@/lib/settings/settings';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';

export const PUT = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, widgetSettingsSchema, {
    surface: 'widget_settings',
    maxBytes: SMALL_BODY,
  });
  return Response.json({ widget: await saveWidgetSettings(app.database.db, input) });
});

/** Back to the defaults Tandem ships with. */
export const DELETE = staffRoute('admin', async ({ app }) => {
  await resetWidgetSettings(app.database.db);
  return Response.json({ widget: await getWidgetSettings(app.database.db) });
});
