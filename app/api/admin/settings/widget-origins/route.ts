import { widgetOriginsSchema } from '@/lib/settings/schema';
import { saveWidgetOrigins } from '@/lib/settings/settings';
import { staffRoute } from '../../../staff-route';

/** Replaces the list of sites allowed to embed the widget and call the chat API. */
export const PUT = staffRoute(
  { role: 'admin', surface: 'widget_origins', body: widgetOriginsSchema },
  async ({ app, body }) => Response.json(await saveWidgetOrigins(app.database.db, body)),
);
