import type { App } from '@/lib/app';
import { getCustomerConversationOrThrow } from '@/lib/conversations/queries';
import { TandemError } from '@/lib/errors';
import { CUSTOMER_COOKIE, readCustomerToken } from './session';

/** The widget session's conversation, if the cookie's customer owns it; a typed error otherwise. */
export async function widgetConversationOrThrow(
  app: App,
  request: Request,
  conversationId: string | null,
) {
  const cookie = request.headers
    .get('cookie')
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${CUSTOMER_COOKIE}=`))
    ?.slice(CUSTOMER_COOKIE.length + 1);
  const customerId = readCustomerToken(cookie, app.secret);
  if (!customerId) throw new TandemError('unauthorized:chat', 'Open the chat first.');
  if (!conversationId || !/^[0-9a-f-]{36}$/.test(conversationId)) {
    throw new TandemError('bad_request:chat', 'conversationId: must be a conversation id');
  }
  return getCustomerConversationOrThrow(app.database.db, conversationId, customerId);
}
