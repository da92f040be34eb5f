import { findOrder, presentOrder } from '../../_lib/orders';
import { orderQuery } from '../../_lib/schemas';
import { shopRoute } from '../../_lib/shop-route';

/** One of the customer's orders, with its status and tracking. */
export const GET = shopRoute(
  { query: orderQuery, params: ['number'] },
  async ({ db, origin, params, query }) => {
    const order = await findOrder(db, query.customer, params.number);
    return Response.json({ order: presentOrder(order, origin) });
  },
);
