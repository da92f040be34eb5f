import { getCustomerByExternalIdOrThrow } from '@/lib/customers/queries';
import { exportCustomerData } from '@/lib/privacy/customer-data';
import { apiRoute } from '../../../api-route';

/** GET /api/v1/customers/{customer_id}/export — everything held about the customer. */
export const GET = apiRoute({ scope: 'admin', params: ['id'] }, async ({ app, caller, params }) => {
  const customer = await getCustomerByExternalIdOrThrow(app.database.db, params.id);
  return Response.json(
    await exportCustomerData(app, customer.id, {
      type: 'api',
      id: caller.keyId,
      name: caller.name,
    }),
  );
});
