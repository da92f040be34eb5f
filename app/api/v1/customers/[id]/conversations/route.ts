import { z } from 'zod';
import { listApiCustomerConversations } from '@/lib/api/conversations';
import { invalidInput } from '@/lib/errors';
import { apiRoute } from '../../../api-route';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.uuid().optional(),
});

/** GET /api/v1/customers/{customer_id}/conversations — newest first, cursor-paginated. */
export const GET = apiRoute<{ id: string }>('read', async ({ app, request, params }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw invalidInput('api', parsed.error);
  return Response.json(
    await listApiCustomerConversations(app.database.db, decodeURIComponent(params.id), parsed.data),
  );
});
