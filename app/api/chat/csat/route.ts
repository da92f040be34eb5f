import { z } from 'zod';
import { getApp } from '@/lib/app';
import { customerCookie, readCustomerToken } from '@/lib/customers/session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { recordCsat } from '@/lib/feedback/feedback';
import { log } from '@/lib/log';
import { observedRoute } from '../../observed-route';
import { readJsonBody } from '../../read-json-body';

const body = z.object({
  conversationId: z.uuid(),
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});

/** The customer rates a resolved conversation 1–5, optionally with a comment. */
export const POST = observedRoute(async (request: Request) => {
  try {
    const app = await getApp();
    const input = await readJsonBody(request, body, { surface: 'csat', maxBytes: 16 * 1024 });
    const customerId = readCustomerToken(customerCookie(request), app.secret);
    if (!customerId) throw new TandemError('unauthorized:csat', 'Open the chat first.');
    await recordCsat(app.database.db, { customerId, ...input });
    return new Response(null, { status: 204 });
  } catch (error) {
    if (!(error instanceof TandemError)) log.error({ err: error }, 'csat failed');
    return toErrorResponse(error);
  }
});
