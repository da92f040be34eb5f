import { escalationOverrideSchema } from '@/lib/settings/schema';
import {
  getSettingsOverview,
  resetEscalationOverride,
  saveEscalationOverride,
} from '@/lib/settings/settings';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';

/** Replaces the overrides: thresholds left out go back to the environment's values. */
export const PUT = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, escalationOverrideSchema, {
    surface: 'escalation_settings',
    maxBytes: SMALL_BODY,
  });
  await saveEscalationOverride(app.database.db, input);
  const { escalation } = await getSettingsOverview(
    app.database.db,
    app.config.escalation,
    app.config.consent.requiredByDefault,
  );
  return Response.json({ escalation });
});

export const DELETE = staffRoute('admin', async ({ app }) => {
  await resetEscalationOverride(app.database.db);
  const { escalation } = await getSettingsOverview(
    app.database.db,
    app.config.escalation,
    app.config.consent.requiredByDefault,
  );
  return Response.json({ escalation });
});
