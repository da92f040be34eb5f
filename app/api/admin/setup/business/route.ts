import { businessProfileSchema, saveBusinessProfile } from '@/lib/settings/desk-setup';
import { staffRoute } from '../../../staff-route';

/**
 * The setup wizard's first step: the business's and the assistant's names, accent colour, logo
 * and languages, saved where the widget, the prompts and the front page read them.
 */
export const PUT = staffRoute(
  { role: 'admin', surface: 'setup', body: businessProfileSchema, maxBytes: 256 * 1024 },
  async ({ app, body }) => Response.json(await saveBusinessProfile(app.database.db, body)),
);
