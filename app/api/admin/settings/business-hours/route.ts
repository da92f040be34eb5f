import { describeBusinessHours } from '@/lib/settings/business-hours';
import { businessHoursSchema } from '@/lib/settings/schema';
import { saveBusinessHours } from '@/lib/settings/settings';
import { staffRoute } from '../../../staff-route';

export const PUT = staffRoute(
  { role: 'admin', surface: 'business_hours', body: businessHoursSchema },
  async ({ app, body }) => {
    const businessHours = await saveBusinessHours(app.database.db, body);
    return Response.json({ businessHours, description: describeBusinessHours(businessHours) });
  },
);
