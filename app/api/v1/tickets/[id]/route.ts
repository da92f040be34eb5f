import { updateTicketBody } from '@/app/api/v1/_lib/schemas';
import { getApiTicket, updateApiTicket } from '@/app/api/v1/_lib/tickets';
import { apiRoute } from '../../api-route';

/** A ticket by id or number (TKT-1001). */
export const GET = apiRoute({ scope: 'read', params: ['id'] }, async ({ app, params }) => {
  return Response.json(await getApiTicket(app.database.db, params.id));
});

export const PATCH = apiRoute(
  { scope: 'write', params: ['id'], body: updateTicketBody, maxBytes: 128 * 1024 },
  async ({ app, params, body }) =>
    Response.json(await updateApiTicket(app.database.db, params.id, body)),
);
