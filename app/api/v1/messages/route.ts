import { createUIMessageStreamResponse } from 'ai';
import { hashRequest, idempotencyKeyOf, onceFor } from '@/lib/api/idempotency';
import { apiMessageSchema, collectApiReply, startApiMessage } from '@/lib/api/messages';
import { readJsonBody } from '../../read-json-body';
import { apiRoute } from '../api-route';

/**
 * POST /api/v1/messages — a customer message; the reply as JSON, or streamed with
 * `Accept: text/event-stream`. An `Idempotency-Key` makes retries safe: the first result is
 * returned again and no second message is stored.
 */
export const POST = apiRoute('write', async ({ app, caller, request }) => {
  const started = Date.now();
  const max = app.config.chat.maxMessageChars;
  const input = await readJsonBody(request, apiMessageSchema(max), {
    surface: 'api',
    maxBytes: max * 4 + 16_384,
  });
  const idempotencyKey = idempotencyKeyOf(request);

  if (request.headers.get('accept')?.includes('text/event-stream')) {
    const result = await startApiMessage(app, input, idempotencyKey);
    return createUIMessageStreamResponse({
      stream: result.stream,
      headers: {
        'x-conversation-id': result.conversationId,
        'cache-control': 'no-cache, no-transform',
      },
    });
  }

  const run = async () => ({
    status: 200,
    body: await collectApiReply(await startApiMessage(app, input), started),
  });
  const response = idempotencyKey
    ? await onceFor(
        app.database.db,
        { keyId: caller.keyId, idempotencyKey, requestHash: hashRequest(input) },
        run,
      )
    : { ...(await run()), replayed: false };
  return Response.json(response.body, {
    status: response.status,
    headers: response.replayed ? { 'idempotent-replayed': 'true' } : {},
  });
});
