import { z } from 'zod';
import { recordCsat } from '@/lib/feedback/feedback';
import { widgetRoute } from '../../widget-route';

const body = z.object({
  conversationId: z.uuid(),
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});

/** The customer rates a resolved conversation 1–5, optionally with a comment. */
export const POST = widgetRoute(
  { surface: 'csat', session: 'required', body, maxBytes: 16 * 1024 },
  async ({ app, body, customer }) => {
    await recordCsat(app.database.db, { customerId: customer.id, ...body });
    return new Response(null, { status: 204 });
  },
);
