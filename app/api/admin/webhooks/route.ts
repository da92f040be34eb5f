import { createWebhookEndpoint, listWebhookEndpoints } from '@/lib/webhooks/endpoints';
import { WEBHOOK_EVENTS } from '@/lib/webhooks/events';
import { staffRoute } from '../../staff-route';
import { newWebhookSchema } from './schemas';

export const GET = staffRoute({ role: 'admin', surface: 'webhook' }, async ({ app }) => {
  return Response.json({
    endpoints: await listWebhookEndpoints(app.database.db),
    events: WEBHOOK_EVENTS,
  });
});

/** Registers an endpoint; the response is the only time its signing secret is shown. */
export const POST = staffRoute(
  { role: 'admin', surface: 'webhook', body: newWebhookSchema },
  async ({ app, staff, body }) => {
    const created = await createWebhookEndpoint(app.database.db, {
      ...body,
      createdBy: staff.id,
      allowPrivateNetworks: app.config.kb.allowPrivateUrls,
    });
    return Response.json(created, { status: 201 });
  },
);
