import { createWebhookEndpoint, listWebhookEndpoints } from '@/lib/webhooks/endpoints';
import { WEBHOOK_EVENTS } from '@/lib/webhooks/events';
import { readJsonBody } from '../../read-json-body';
import { SMALL_BODY, staffRoute } from '../../staff-route';
import { newWebhookSchema } from './schemas';

export const GET = staffRoute('admin', async ({ app }) => {
  return Response.json({
    endpoints: await listWebhookEndpoints(app.database.db),
    events: WEBHOOK_EVENTS,
  });
});

/** Registers an endpoint; the response is the only time its signing secret is shown. */
export const POST = staffRoute('admin', async ({ app, staff, request }) => {
  const input = await readJsonBody(request, newWebhookSchema, {
    surface: 'webhook',
    maxBytes: SMALL_BODY,
  });
  const created = await createWebhookEndpoint(app.database.db, {
    ...input,
    createdBy: staff.id,
    allowPrivateNetworks: app.config.kb.allowPrivateUrls,
  });
  return Response.json(created, { status: 201 });
});
