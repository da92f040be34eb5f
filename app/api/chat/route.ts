import { createUIMessageStreamResponse } from 'ai';
import type { NextRequest } from 'next/server';
import { getApp } from '@/lib/app';
import { requireConsentAnswer } from '@/lib/consent/consent';
import { getCustomerConversationOrThrow } from '@/lib/conversations/queries';
import { createAnonymousCustomer, findCustomer, setContactEmail } from '@/lib/customers/queries';
import {
  CUSTOMER_COOKIE,
  createCustomerToken,
  customerCookieHeader,
  readCustomerToken,
} from '@/lib/customers/session';
import { checkWidgetLimits, clientAddress } from '@/lib/customers/widget-limits';
import { TandemError, toErrorResponse } from '@/lib/errors';
import { log } from '@/lib/log';
import { handleCustomerMessage } from '@/lib/pipeline/handle-customer-message';
import { observedRoute } from '../observed-route';
import { readJsonBody } from '../read-json-body';
import { chatRequestSchema, MAX_ATTACHMENTS } from './schema';

export const POST = observedRoute(async (request: NextRequest) => {
  try {
    const app = await getApp();
    const { maxMessageChars, maxAttachmentBytes } = app.config.chat;
    const body = await readJsonBody(request, chatRequestSchema(maxMessageChars), {
      surface: 'chat',
      // UTF-8 text plus base64 files (4 bytes for every 3), and room for the JSON around them.
      maxBytes:
        maxMessageChars * 4 + Math.ceil((maxAttachmentBytes * MAX_ATTACHMENTS * 4) / 3) + 8192,
    });

    const token = request.cookies.get(CUSTOMER_COOKIE)?.value;
    const knownId = readCustomerToken(token, app.secret);
    const known = knownId ? await findCustomer(app.database.db, knownId) : null;
    if (!known && body.conversationId) {
      // No session can own this conversation: say whether it exists (404) or is someone else's (403).
      await getCustomerConversationOrThrow(app.database.db, body.conversationId, null);
    }
    const refused = await checkWidgetLimits(app, {
      customerId: known?.id ?? null,
      startsConversation: !body.conversationId,
      ip: clientAddress(request.headers),
    });
    if (refused) return toErrorResponse(refused.error, refused.headers);
    // Checked before a session is created for a visitor who has not answered the notice.
    await requireConsentAnswer(app, known);
    let customer = known ?? (await createAnonymousCustomer(app.database.db));
    if (body.contactEmail) {
      customer = await setContactEmail(app.database.db, customer, body.contactEmail);
    }

    const result = await handleCustomerMessage(app, {
      customer,
      conversationId: body.conversationId,
      text: body.message.parts.text,
      attachments: body.message.parts.files,
      idempotencyKey: body.message.id,
    });
    const headers = new Headers({
      'x-conversation-id': result.conversationId,
      // Compressing a token stream chunk by chunk costs more than it saves, and proxies must not buffer it.
      'cache-control': 'no-cache, no-transform',
    });
    if (!known) {
      const secure = request.nextUrl.protocol === 'https:';
      headers.set(
        'set-cookie',
        customerCookieHeader(createCustomerToken(customer.id, app.secret), { secure }),
      );
    }
    return createUIMessageStreamResponse({ stream: result.stream, headers });
  } catch (error) {
    if (!(error instanceof TandemError)) log.error({ err: error }, 'chat failed');
    return toErrorResponse(error);
  }
});
