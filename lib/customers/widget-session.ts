import type { App } from '@/lib/app';
import { getCustomerConversationOrThrow } from '@/lib/conversations/queries';
import { TandemError } from '@/lib/errors';
import { customerCookie, readCustomerToken } from './session';

/** The widget session's conversation, if the cookie's customer owns it; a typed error otherwise. */
export async function widgetConversationOrThrow(
  app: App,
  request: Request,
  conversationId: string | null,
) {
  const customerId = readCustomerToken(customerCookie(request), app.secret);
  if (!customerId) throw new TandemError('unauthorized:chat', 'Open the chat first.');
  if (!conversationId || !/^[0-9a-f-]{36}$/.test(conversationId)) {
    throw new TandemError('bad_request:chat', 'conversationId: must be a conversation id');
  }
  return getCustomerConversationOrThrow(app.database.db, conversationId, customerId);
}
