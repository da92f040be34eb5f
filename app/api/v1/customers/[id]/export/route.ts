import { eq } from 'drizzle-orm';
import { customers } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import { exportCustomerData } from '@/lib/privacy/customer-data';
import { apiRoute } from '../../../api-route';

/** GET /api/v1/customers/{customer_id}/export — everything held about the customer. */
export const GET = apiRoute({ scope: 'admin', params: ['id'] }, async ({ app, caller, params }) => {
  const [customer] = await app.database.db
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.externalId, params.id));
  if (!customer) throw new TandemError('not_found:customer', 'No customer has that id.');
  return Response.json(
    await exportCustomerData(app, customer.id, {
      type: 'api',
      id: caller.keyId,
      name: caller.name,
    }),
  );
});
