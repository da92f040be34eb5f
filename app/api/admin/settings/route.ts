import { getSettingsOverview } from '@/lib/settings/settings';
import { staffRoute } from '../../staff-route';

export const GET = staffRoute({ role: 'admin', surface: 'settings' }, async ({ app }) => {
  return Response.json(
    await getSettingsOverview(
      app.database.db,
      app.config.escalation,
      app.config.consent.requiredByDefault,
    ),
  );
});
