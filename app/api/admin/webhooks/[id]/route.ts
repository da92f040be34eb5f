import { deleteWebhookEndpoint, updateWebhookEndpoint } from '@/lib/webhooks/endpoints';
import { readJsonBody } from '../../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../../staff-route';
import { webhookChangeSchema } from '../schemas';

/** Changes the URL, events or description, or enables/disables the endpoint. */
export const PATCH = staffRoute<{ id: string }>('admin', async ({ app, request, params }) => {
  const input = await readJsonBody(request, webhookChangeSchema, {
    surface: 'webhook',
    maxBytes: SMALL_BODY,
  });
  return Response.json(
    await updateWebhookEndpoint(app.database.db, params.id, {
      ...input,
      allowPrivateNetworks: app.config.kb.allowPrivateUrls,
    }),
  );
});

export const DELETE = staffRoute<{ id: string }>('admin', async ({ app, params }) => {
  await deleteWebhookEndpoint(app.database.db, params.id);
  return new Response(null, { status: 204 });
});
