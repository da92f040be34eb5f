import { queueApiMessage } from '@/lib/api/async-messages';
import { hashRequest, idempotencyKeyOf, onceFor } from '@/lib/api/idempotency';
import { apiMessageSchema } from '@/lib/api/messages';
import { readJsonBody } from '../../../read-json-body';
import { apiRoute } from '../../api-route';

/**
 * POST /api/v1/messages/async — the same message as POST /api/v1/messages, answered by the job
 * system: `202 { task_id }`, then poll GET /api/v1/tasks/{task_id}. With an `Idempotency-Key`
 * a retry gets the first task back and queues nothing.
 */
export const POST = apiRoute('write', async ({ app, caller, request }) => {
  const max = app.config.chat.maxMessageChars;
  const input = await readJsonBody(request, apiMessageSchema(max), {
    surface: 'api',
    maxBytes: max * 4 + 16_384,
  });
  const idempotencyKey = idempotencyKeyOf(request);
  const run = async () => ({
    status: 202,
    body: await queueApiMessage(app.database.db, { keyId: caller.keyId, message: input }),
  });
  const response = idempotencyKey
    ? await onceFor(
        app.database.db,
        {
          keyId: caller.keyId,
          idempotencyKey,
          requestHash: hashRequest({ async: true, ...input }),
        },
        run,
      )
    : { ...(await run()), replayed: false };
  app.jobs?.wake();
  return Response.json(response.body, {
    status: response.status,
    headers: response.replayed ? { 'idempotent-replayed': 'true' } : {},
  });
});
