import { z } from 'zod';
import { listQueue } from '@/app/api/console/_lib/queue';
import { MAX_QUEUE_SEARCH, QUEUE_FILTERS } from '@/app/api/console/_lib/queue-options';
import { staffRoute } from '../../staff-route';

const query = z.object({
  filter: z.enum(QUEUE_FILTERS).default('open'),
  q: z.string().max(MAX_QUEUE_SEARCH).optional(),
});

export const GET = staffRoute(
  { role: 'agent', surface: 'queue', query },
  async ({ app, staff, query: { filter, q } }) => {
    const items = await listQueue(app.database.db, staff, filter, q);
    return Response.json({ filter, q: q ?? null, items });
  },
);
