import { presentOrder, startReturn } from '../../../_lib/orders';
import { returnBody } from '../../../_lib/schemas';
import { shopRoute } from '../../../_lib/shop-route';

/** Starts the return of a delivered order within the returns window. */
export const POST = shopRoute(
  { body: returnBody, params: ['number'] },
  async ({ db, origin, params, body }) => {
    const order = await startReturn(db, body.customer, params.number, body.reason);
    return Response.json({ order: presentOrder(order, origin) });
  },
);
