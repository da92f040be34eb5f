import { createUIMessageStreamResponse } from 'ai';
import { idempotencyKeyOf } from '@/app/api/v1/_lib/idempotency-key';
import { hashRequest, idempotentWorkIds, onceFor } from '@/lib/idempotency/idempotent-requests';
import { apiMessageSchema, collectApiReply, startApiMessage } from '@/lib/turn/api-message';
import { answerApiMessageOnce } from '@/lib/turn/async-api-message';
import { turnUIMessageStream } from '../../turn-stream';
import { apiRoute } from '../api-route';

/**
 * POST /api/v1/messages — a customer message; the reply as JSON, or streamed with
 * `Accept: text/event-stream`. An `Idempotency-Key` makes retries safe: the first result is
 * returned again and no second message is stored.
 */
export const POST = apiRoute(
  {
    scope: 'write',
    body: ({ chat }) => apiMessageSchema(chat.maxMessageChars),
    maxBytes: ({ chat }) => chat.maxMessageChars * 4 + 16_384,
  },
  async ({ app, caller, request, body: input }) => {
    const started = Date.now();
    const idempotencyKey = idempotencyKeyOf(request);

    if (request.headers.get('accept')?.includes('text/event-stream')) {
      const turn = await startApiMessage(app, input, { idempotencyKey });
      return createUIMessageStreamResponse({
        stream: turnUIMessageStream(turn),
        headers: {
          'x-conversation-id': turn.conversationId,
          'cache-control': 'no-cache, no-transform',
        },
      });
    }

    const claim = idempotencyKey
      ? { keyId: caller.keyId, idempotencyKey, requestHash: hashRequest(input) }
      : null;
    // Under a key the message is stored under ids of its own, so a retry that takes over from a
    // request that died answers the message it stored instead of storing it again.
    const run = async () => ({
      status: 200,
      body: claim
        ? await answerApiMessageOnce(app, input, idempotentWorkIds(claim), started)
        : await collectApiReply(await startApiMessage(app, input), started),
    });
    const response = claim
      ? await onceFor(app.database.db, claim, run)
      : { ...(await run()), replayed: false };
    return Response.json(response.body, {
      status: response.status,
      headers: response.replayed ? { 'idempotent-replayed': 'true' } : {},
    });
  },
);
