import { listWebhookDeliveries } from '@/lib/webhooks/endpoints';
import { staffRoute } from '../../../../staff-route';

/** The endpoint's delivery log: newest deliveries, each with every attempt. */
export const GET = staffRoute(
  { role: 'admin', surface: 'webhook', params: ['id'] },
  async ({ app, params }) =>
    Response.json({ deliveries: await listWebhookDeliveries(app.database.db, params.id) }),
);
