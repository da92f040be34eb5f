import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { getApp } from '@/lib/app';
import { identifyCustomer } from '@/lib/customers/identity';
import { createCustomerToken, customerCookieHeader } from '@/lib/customers/session';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { observedRoute } from '../../observed-route';
import { readJsonBody } from '../../read-json-body';

const identifySchema = z.object({
  userId: z.string().min(1).max(200),
  userHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex HMAC-SHA256 of userId'),
  name: z.string().max(200).optional(),
  email: z.email().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

/** Binds this browser's chat session to a customer the site has verified (signed user id). */
export const POST = observedRoute(async (request: NextRequest) => {
  try {
    const app = await getApp();
    const body = await readJsonBody(request, identifySchema, {
      surface: 'identity',
      maxBytes: 16_384,
    });
    const customer = await identifyCustomer(app.database.db, app.secret, body);
    const secure = request.nextUrl.protocol === 'https:';
    return Response.json(
      { customerId: customer.id, name: customer.name },
      {
        headers: {
          'set-cookie': customerCookieHeader(createCustomerToken(customer.id, app.secret), {
            secure,
          }),
        },
      },
    );
  } catch (error) {
    if (!(error instanceof TandemError)) log.error({ err: error }, 'identify failed');
    return toErrorResponse(error);
  }
});

/** Signs the visitor out of the customer identity: the next message starts an anonymous session. */
export const DELETE = observedRoute(async () => {
  return new Response(null, {
    status: 204,
    headers: { 'set-cookie': 'tandem_customer=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' },
  });
});
