import { listApiCustomerConversations } from '@/app/api/v1/_lib/conversations';
import { pageQuery } from '@/app/api/v1/_lib/schemas';
import { apiRoute } from '../../../api-route';

/** GET /api/v1/customers/{customer_id}/conversations — newest first, cursor-paginated. */
export const GET = apiRoute(
  { scope: 'read', params: ['id'], query: pageQuery },
  async ({ app, params, query }) =>
    Response.json(await listApiCustomerConversations(app.database.db, params.id, query)),
);
