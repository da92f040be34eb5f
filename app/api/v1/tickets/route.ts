import { createTicketBody } from '@/lib/api/schemas';
import { createApiTicket } from '@/lib/api/tickets';
import { apiRoute } from '../api-route';

export const POST = apiRoute(
  { scope: 'write', body: createTicketBody, maxBytes: 128 * 1024 },
  async ({ app, body }) =>
    Response.json(await createApiTicket(app.database.db, body), { status: 201 }),
);
