import { pageQuery } from '@/lib/api/schemas';
import { listApiCustomerTickets } from '@/lib/api/tickets';
import { invalidInput } from '@/lib/errors';
import { apiRoute } from '../../../api-route';

export const GET = apiRoute<{ id: string }>('read', async ({ app, request, params }) => {
  const parsed = pageQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw invalidInput('api', parsed.error);
  return Response.json(
    await listApiCustomerTickets(app.database.db, decodeURIComponent(params.id), parsed.data),
  );
});
