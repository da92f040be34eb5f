import { z } from 'zod';
import { recordAnswerFeedback } from '@/lib/feedback/feedback';
import { widgetRoute } from '../../widget-route';

const body = z.object({ messageId: z.uuid(), helpful: z.boolean() });

/** Thumbs up or down on one of the bot's answers. */
export const POST = widgetRoute(
  { surface: 'feedback', session: 'required', body, maxBytes: 1024 },
  async ({ app, body, customer }) => {
    await recordAnswerFeedback(app.database.db, { customerId: customer.id, ...body });
    return new Response(null, { status: 204 });
  },
);
