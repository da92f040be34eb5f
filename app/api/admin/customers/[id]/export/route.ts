import { exportCustomerData } from '@/lib/privacy/customer-data';
import { AUDITED_HEADER, staffRoute } from '../../../../staff-route';

/** Everything held about the customer, as a JSON download (right of access). */
export const GET = staffRoute(
  { role: 'admin', surface: 'customer', params: ['id'] },
  async ({ app, staff, params }) => {
    const data = await exportCustomerData(app, params.id, {
      type: 'staff',
      id: staff.id,
      name: staff.name,
    });
    return Response.json(data, {
      headers: {
        'content-disposition': `attachment; filename="customer-${params.id}.json"`,
        'cache-control': 'no-store',
        [AUDITED_HEADER]: '1',
      },
    });
  },
);
