import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { getApp } from '@/lib/app';
import { answerConsentNotice } from '@/lib/consent/consent';
import { findCustomer } from '@/lib/customers/queries';
import {
  CUSTOMER_COOKIE,
  createCustomerToken,
  customerCookieHeader,
  readCustomerToken,
} from '@/lib/customers/session';
import { checkWidgetLimits, clientAddress } from '@/lib/customers/widget-limits';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { observedRoute } from '../../observed-route';
import { readJsonBody } from '../../read-json-body';

const body = z.object({
  decision: z.enum(['granted', 'declined'], { message: "must be 'granted' or 'declined'" }),
  version: z.string().min(1, 'must be the version of the notice shown').max(64),
});

/** The visitor's answer to the consent notice; a first answer starts their chat session. */
export const POST = observedRoute(async (request: NextRequest) => {
  try {
    const app = await getApp();
    const input = await readJsonBody(request, body, { surface: 'consent', maxBytes: 1024 });
    const knownId = readCustomerToken(request.cookies.get(CUSTOMER_COOKIE)?.value, app.secret);
    const known = knownId ? await findCustomer(app.database.db, knownId) : null;
    if (!known) {
      // A new session per answer otherwise: bound like conversations from one address.
      const refused = await checkWidgetLimits(app, {
        customerId: null,
        startsConversation: true,
        ip: clientAddress(request.headers),
      });
      if (refused) return toErrorResponse(refused.error, refused.headers);
    }
    const { customer: saved, created } = await answerConsentNotice(app, {
      customer: known,
      ...input,
    });
    const headers = new Headers();
    if (created) {
      const secure = request.nextUrl.protocol === 'https:';
      headers.set(
        'set-cookie',
        customerCookieHeader(createCustomerToken(saved.id, app.secret), { secure }),
      );
    }
    return Response.json(
      {
        consent: {
          decision: saved.consent,
          version: saved.consentVersion,
          at: saved.consentAt?.toISOString(),
        },
      },
      { headers },
    );
  } catch (error) {
    if (!(error instanceof TandemError)) log.error({ err: error }, 'consent failed');
    return toErrorResponse(error);
  }
});
