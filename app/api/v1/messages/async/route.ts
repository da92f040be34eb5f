import { idempotencyKeyOf } from '@/app/api/v1/_lib/idempotency-key';
import { hashRequest, idempotentWorkIds, onceFor } from '@/lib/idempotency/idempotent-requests';
import { apiMessageSchema } from '@/lib/turn/api-message';
import { queueApiMessage } from '@/lib/turn/async-api-message';
import { apiRoute } from '../../api-route';

/**
 * POST /api/v1/messages/async — the same message as POST /api/v1/messages, answered by the job
 * system: `202 { task_id }`, then poll GET /api/v1/tasks/{task_id}. With an `Idempotency-Key`
 * a retry gets the first task back and queues nothing.
 */
export const POST = apiRoute(
  {
    scope: 'write',
    body: ({ chat }) => apiMessageSchema(chat.maxMessageChars),
    maxBytes: ({ chat }) => chat.maxMessageChars * 4 + 16_384,
  },
  async ({ app, caller, request, body: input }) => {
    const idempotencyKey = idempotencyKeyOf(request);
    const claim = idempotencyKey
      ? { keyId: caller.keyId, idempotencyKey, requestHash: hashRequest({ async: true, ...input }) }
      : null;
    // Under a key the task is queued once, even by a retry that takes over from one that died.
    const run = async () => ({
      status: 202,
      body: await queueApiMessage(app.database.db, {
        keyId: caller.keyId,
        message: input,
        dedupeKey: claim ? idempotentWorkIds(claim).messageKey : undefined,
      }),
    });
    const response = claim
      ? await onceFor(app.database.db, claim, run)
      : { ...(await run()), replayed: false };
    app.jobs?.wake();
    return Response.json(response.body, {
      status: response.status,
      headers: response.replayed ? { 'idempotent-replayed': 'true' } : {},
    });
  },
);
