import { widgetOriginsSchema } from '@/lib/settings/schema';
import { saveWidgetOrigins } from '@/lib/settings/settings';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';

/** Replaces the list of sites allowed to embed the widget and call the chat API. */
export const PUT = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, widgetOriginsSchema, {
    surface: 'widget_origins',
    maxBytes: SMALL_BODY,
  });
  return Response.json(await saveWidgetOrigins(app.database.db, input));
});
