import { createTicketBody } from '@/app/api/v1/_lib/schemas';
import { createApiTicket } from '@/app/api/v1/_lib/tickets';
import { apiRoute } from '../api-route';

export const POST = apiRoute(
  { scope: 'write', body: createTicketBody, maxBytes: 128 * 1024 },
  async ({ app, body }) =>
    Response.json(await createApiTicket(app.database.db, body), { status: 201 }),
);
