import type { AppContext } from '@/lib/context';
import { getCustomerConversationOrThrow } from '@/lib/conversations/queries';
import { TandemError } from '@/lib/errors';
import type { Customer } from './queries';
import { type CustomerSession, customerSessionTokens, findSessionCustomer } from './session';

/**
 * The widget session a request carries (header, cookie, or — for the event stream — the query),
 * while it is current; null when none is, which the caller treats as a visitor without a session.
 */
export async function findWidgetSession(
  ctx: Pick<AppContext, 'database' | 'secret'>,
  request: Request,
  { fromQuery = false }: { fromQuery?: boolean } = {},
): Promise<CustomerSession | null> {
  for (const token of customerSessionTokens(request, { fromQuery })) {
    const session = await findSessionCustomer(ctx.database.db, token, ctx.secret);
    if (session) return session;
  }
  return null;
}

/** The conversation, if the session's customer owns it; a typed error otherwise. */
export async function widgetConversationOrThrow(
  ctx: Pick<AppContext, 'database'>,
  customer: Pick<Customer, 'id'> | null,
  conversationId: string | null | undefined,
) {
  if (!customer) throw new TandemError('unauthorized:chat', 'Open the chat first.');
  if (
    !conversationId ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(conversationId)
  ) {
    throw new TandemError('bad_request:chat', 'conversationId: must be a conversation id');
  }
  return getCustomerConversationOrThrow(ctx.database.db, conversationId, customer.id);
}
