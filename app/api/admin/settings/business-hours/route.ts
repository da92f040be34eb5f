import { describeBusinessHours } from '@/lib/settings/business-hours';
import { businessHoursSchema } from '@/lib/settings/schema';
import { saveBusinessHours } from '@/lib/settings/settings';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';

export const PUT = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, businessHoursSchema, {
    surface: 'business_hours',
    maxBytes: SMALL_BODY,
  });
  const businessHours = await saveBusinessHours(app.database.db, input);
  return Response.json({ businessHours, description: describeBusinessHours(businessHours) });
});
