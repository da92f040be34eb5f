import { revokeApiKey } from '@/lib/api-keys/keys';
import { staffRoute } from '../../../staff-route';

/** Revokes the key: requests with it are refused from now on. */
export const DELETE = staffRoute(
  { role: 'admin', surface: 'api_key', params: ['id'] },
  async ({ app, params }) => {
    await revokeApiKey(app.database.db, params.id);
    return new Response(null, { status: 204 });
  },
);
