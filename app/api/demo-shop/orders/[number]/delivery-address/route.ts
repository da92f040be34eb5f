import { changeDeliveryAddress, presentOrder } from '../../../_lib/orders';
import { addressBody } from '../../../_lib/schemas';
import { shopRoute } from '../../../_lib/shop-route';

/** Sends the customer's order, still processing, to another address. */
export const POST = shopRoute(
  { body: addressBody, params: ['number'] },
  async ({ db, origin, params, body }) => {
    const order = await changeDeliveryAddress(db, body.customer, params.number, body.address);
    return Response.json({ order: presentOrder(order, origin) });
  },
);
