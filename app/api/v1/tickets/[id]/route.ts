import { updateTicketBody } from '@/lib/api/schemas';
import { getApiTicket, updateApiTicket } from '@/lib/api/tickets';
import { readJsonBody } from '../../../read-json-body';
import { apiRoute } from '../../api-route';

/** A ticket by id or number (TKT-1001). */
export const GET = apiRoute<{ id: string }>('read', async ({ app, params }) => {
  return Response.json(await getApiTicket(app.database.db, decodeURIComponent(params.id)));
});

export const PATCH = apiRoute<{ id: string }>('write', async ({ app, request, params }) => {
  const body = await readJsonBody(request, updateTicketBody, {
    surface: 'api',
    maxBytes: 128 * 1024,
  });
  return Response.json(await updateApiTicket(app.database.db, decodeURIComponent(params.id), body));
});
