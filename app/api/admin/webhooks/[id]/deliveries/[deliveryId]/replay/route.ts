import { z } from 'zod';
import { TandemError } from '@/lib/errors';
import { replayWebhookDelivery } from '@/lib/webhooks/endpoints';
import { staffRoute } from '../../../../../../staff-route';

/** Sends a delivery again now, under the same Tandem-Delivery id. */
export const POST = staffRoute(
  { role: 'admin', surface: 'webhook', params: ['id', 'deliveryId'] },
  async ({ app, params }) => {
    if (!z.uuid().safeParse(params.deliveryId).success) {
      throw new TandemError('not_found:delivery', 'This endpoint has no such delivery.');
    }
    const replay = await replayWebhookDelivery(app.database.db, params.id, params.deliveryId);
    app.jobs?.wake();
    return Response.json(replay, { status: 202 });
  },
);
