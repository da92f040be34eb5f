import { createTicketBody } from '@/lib/api/schemas';
import { createApiTicket } from '@/lib/api/tickets';
import { readJsonBody } from '../../read-json-body';
import { apiRoute } from '../api-route';

export const POST = apiRoute('write', async ({ app, request }) => {
  const body = await readJsonBody(request, createTicketBody, {
    surface: 'api',
    maxBytes: 128 * 1024,
  });
  return Response.json(await createApiTicket(app.database.db, body), { status: 201 });
});
