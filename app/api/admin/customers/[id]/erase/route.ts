import { eraseCustomer } from '@/lib/privacy/customer-data';
import { AUDITED_HEADER, staffRoute } from '../../../../staff-route';

/** Erases the customer everywhere and returns the receipt; asking again returns the same receipt. */
export const POST = staffRoute(
  { role: 'admin', surface: 'customer', params: ['id'] },
  async ({ app, staff, params }) => {
    const receipt = await eraseCustomer(app, params.id, {
      type: 'staff',
      id: staff.id,
      name: staff.name,
    });
    return Response.json(receipt, { headers: { [AUDITED_HEADER]: '1' } });
  },
);
