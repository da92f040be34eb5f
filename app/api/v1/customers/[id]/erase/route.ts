import { eq } from 'drizzle-orm';
import { customers } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import { eraseCustomer } from '@/lib/privacy/customer-data';
import { apiRoute } from '../../../api-route';

/** POST /api/v1/customers/{customer_id}/erase — erase everywhere; returns the erasure receipt. */
export const POST = apiRoute(
  { scope: 'admin', params: ['id'] },
  async ({ app, caller, params }) => {
    const [customer] = await app.database.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.externalId, params.id));
    if (!customer)
      throw new TandemError(
        'not_found:customer',
        'No customer has that id (or it was already erased).',
      );
    return Response.json(
      await eraseCustomer(app, customer.id, { type: 'api', id: caller.keyId, name: caller.name }),
    );
  },
);
