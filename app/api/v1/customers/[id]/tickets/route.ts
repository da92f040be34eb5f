import { pageQuery } from '@/lib/api/schemas';
import { listApiCustomerTickets } from '@/lib/api/tickets';
import { apiRoute } from '../../../api-route';

export const GET = apiRoute(
  { scope: 'read', params: ['id'], query: pageQuery },
  async ({ app, params, query }) =>
    Response.json(await listApiCustomerTickets(app.database.db, params.id, query)),
);
