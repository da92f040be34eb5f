import type { AppContext } from '@/lib/context';
import { escalationOverrideSchema } from '@/lib/settings/schema';
import {
  getSettingsOverview,
  resetEscalationOverride,
  saveEscalationOverride,
} from '@/lib/settings/settings';
import { staffRoute } from '../../../staff-route';

/** Replaces the overrides: thresholds left out go back to the environment's values. */
export const PUT = staffRoute(
  { role: 'admin', surface: 'escalation_settings', body: escalationOverrideSchema },
  async ({ app, body }) => {
    await saveEscalationOverride(app.database.db, body);
    return Response.json({ escalation: await effectiveEscalation(app) });
  },
);

export const DELETE = staffRoute(
  { role: 'admin', surface: 'escalation_settings' },
  async ({ app }) => {
    await resetEscalationOverride(app.database.db);
    return Response.json({ escalation: await effectiveEscalation(app) });
  },
);

async function effectiveEscalation(app: AppContext) {
  const { escalation } = await getSettingsOverview(
    app.database.db,
    app.config.escalation,
    app.config.consent.requiredByDefault,
  );
  return escalation;
}
