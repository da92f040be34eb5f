import { z } from 'zod';
import { identifyCustomer } from '@/lib/customers/identity';
import { widgetRoute } from '../../widget-route';

const identifySchema = z.object({
  userId: z.string().min(1).max(200),
  userHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex HMAC-SHA256 of userId'),
  name: z.string().max(200).optional(),
  email: z.email().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

/** Binds this browser's chat session to a customer the site has verified (signed user id). */
export const POST = widgetRoute(
  { surface: 'identity', session: 'optional', body: identifySchema, maxBytes: 16_384 },
  async ({ app, body, startSession }) => {
    const customer = await identifyCustomer(app.database.db, app.secret, body);
    startSession(customer);
    return Response.json({ customerId: customer.id, name: customer.name });
  },
);

/**
 * "Forget me": ends this customer's widget sessions (the token in hand stops working everywhere)
 * and clears the cookie; the next message starts an anonymous session.
 */
export const DELETE = widgetRoute(
  { surface: 'identity', session: 'optional' },
  async ({ endSession }) => {
    await endSession();
    return new Response(null, { status: 204 });
  },
);
