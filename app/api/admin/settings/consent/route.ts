import { consentSettingsInputSchema } from '@/lib/settings/schema';
import { saveConsentSettings } from '@/lib/settings/settings';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';

/** Saving new wording gives the notice a new version, so customers are asked again. */
export const PUT = staffRoute('admin', async ({ app, request }) => {
  const input = await readJsonBody(request, consentSettingsInputSchema, {
    surface: 'consent_settings',
    maxBytes: SMALL_BODY,
  });
  return Response.json({ consent: await saveConsentSettings(app.database.db, input) });
});
