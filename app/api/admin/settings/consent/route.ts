import { consentSettingsInputSchema } from '@/lib/settings/schema';
import { saveConsentSettings } from '@/lib/settings/settings';
import { staffRoute } from '../../../staff-route';

/** Saving new wording gives the notice a new version, so customers are asked again. */
export const PUT = staffRoute(
  { role: 'admin', surface: 'consent_settings', body: consentSettingsInputSchema },
  async ({ app, body }) =>
    Response.json({ consent: await saveConsentSettings(app.database.db, body) }),
);
