import { createUIMessageStreamResponse } from 'ai';
import { maxChatBodyBytes } from '@/lib/conversations/attachment-rules';
import { checkAttachments } from '@/lib/conversations/attachments';
import { getCustomerConversationOrThrow } from '@/lib/conversations/queries';
import { createAnonymousCustomer, setContactEmail } from '@/lib/customers/queries';
import { runTurn } from '@/lib/turn/turn';
import { turnUIMessageStream } from '../turn-stream';
import { widgetRoute } from '../widget-route';
import { chatRequestSchema } from './schema';

export const POST = widgetRoute(
  {
    surface: 'chat',
    session: 'optional',
    body: (config) => chatRequestSchema(config.chat.maxMessageChars),
    // UTF-8 text plus base64 files, and room for the JSON around them.
    maxBytes: (config) => maxChatBodyBytes(config.chat),
  },
  async ({ app, body, customer: known, startSession, checkLimits, requireConsent }) => {
    const files = checkAttachments(body.message.parts.files, {
      maxBytes: app.config.chat.maxAttachmentBytes,
    });
    if (!known && body.conversationId) {
      // No session can own this conversation: say whether it exists (404) or is someone else's (403).
      await getCustomerConversationOrThrow(app.database.db, body.conversationId, null);
    }
    await checkLimits({ startsConversation: !body.conversationId });
    // A visitor without a session is checked before one is created; the turn checks a customer.
    if (!known) await requireConsent();
    let customer = known ?? (await createAnonymousCustomer(app.database.db));
    if (body.contactEmail) {
      customer = await setContactEmail(app.database.db, customer, body.contactEmail);
    }

    const turn = await runTurn(app, {
      customer,
      conversationId: body.conversationId,
      text: body.message.parts.text,
      attachments: files,
      idempotencyKey: body.message.id,
    });
    if (!known) startSession(customer);
    return createUIMessageStreamResponse({
      stream: turnUIMessageStream(turn),
      headers: {
        'x-conversation-id': turn.conversationId,
        // Compressing a token stream chunk by chunk costs more than it saves, and proxies must not buffer it.
        'cache-control': 'no-cache, no-transform',
      },
    });
  },
);
