import { pageQuery } from '@/app/api/v1/_lib/schemas';
import { listApiCustomerTickets } from '@/app/api/v1/_lib/tickets';
import { apiRoute } from '../../../api-route';

export const GET = apiRoute(
  { scope: 'read', params: ['id'], query: pageQuery },
  async ({ app, params, query }) =>
    Response.json(await listApiCustomerTickets(app.database.db, params.id, query)),
);
