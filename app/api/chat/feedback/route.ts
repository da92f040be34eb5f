import { z } from 'zod';
import { getApp } from '@/lib/app';
import { customerCookie, readCustomerToken } from '@/lib/customers/session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { recordAnswerFeedback } from '@/lib/feedback/feedback';
import { log } from '@/lib/log';
import { observedRoute } from '../../observed-route';
import { readJsonBody } from '../../read-json-body';

const body = z.object({ messageId: z.uuid(), helpful: z.boolean() });

/** Thumbs up or down on one of the bot's answers. */
export const POST = observedRoute(async (request: Request) => {
  try {
    const app = await getApp();
    const input = await readJsonBody(request, body, { surface: 'feedback', maxBytes: 1024 });
    const customerId = readCustomerToken(customerCookie(request), app.secret);
    if (!customerId) throw new TandemError('unauthorized:feedback', 'Open the chat first.');
    await recordAnswerFeedback(app.database.db, { customerId, ...input });
    return new Response(null, { status: 204 });
  } catch (error) {
    if (!(error instanceof TandemError)) log.error({ err: error }, 'feedback failed');
    return toErrorResponse(error);
  }
});
