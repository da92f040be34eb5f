import { rotateApiKey } from '@/lib/api-keys/keys';
import { staffRoute } from '../../../../staff-route';

/** A new secret for the key; the old one stops working at once. Shown only in this response. */
export const POST = staffRoute(
  { role: 'admin', surface: 'api_key', params: ['id'] },
  async ({ app, params }) => Response.json(await rotateApiKey(app.database.db, params.id)),
);
