import { deleteWebhookEndpoint, updateWebhookEndpoint } from '@/lib/webhooks/endpoints';
import { staffRoute } from '../../../staff-route';
import { webhookChangeSchema } from '../schemas';

/** Changes the URL, events or description, or enables/disables the endpoint. */
export const PATCH = staffRoute(
  { role: 'admin', surface: 'webhook', params: ['id'], body: webhookChangeSchema },
  async ({ app, params, body }) =>
    Response.json(
      await updateWebhookEndpoint(app.database.db, params.id, {
        ...body,
        allowPrivateNetworks: app.config.kb.allowPrivateUrls,
      }),
    ),
);

export const DELETE = staffRoute(
  { role: 'admin', surface: 'webhook', params: ['id'] },
  async ({ app, params }) => {
    await deleteWebhookEndpoint(app.database.db, params.id);
    return new Response(null, { status: 204 });
  },
);
