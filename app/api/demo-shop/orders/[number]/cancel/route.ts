import { cancelOrder, presentOrder } from '../../../_lib/orders';
import { cancelBody } from '../../../_lib/schemas';
import { shopRoute } from '../../../_lib/shop-route';

/** Cancels the customer's order while it is still processing. */
export const POST = shopRoute(
  { body: cancelBody, params: ['number'] },
  async ({ db, origin, params, body }) => {
    const order = await cancelOrder(db, body.customer, params.number);
    return Response.json({ order: presentOrder(order, origin) });
  },
);
