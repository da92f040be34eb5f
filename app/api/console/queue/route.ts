import { z } from 'zod';
import { listQueue, QUEUE_FILTERS } from '@/lib/console/queue';
import { invalidInput } from '@/lib/errors';
import { staffRoute } from '../../staff-route';

const query = z.object({ filter: z.enum(QUEUE_FILTERS).default('open') });

export const GET = staffRoute('agent', async ({ app, staff, request }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw invalidInput('queue', parsed.error);
  const items = await listQueue(app.database.db, staff, parsed.data.filter);
  return Response.json({ filter: parsed.data.filter, items });
});
