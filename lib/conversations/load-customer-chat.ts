import { getWidgetConsent, type WidgetConsent } from '@/lib/consent/consent';
import type { AppContext } from '@/lib/context';
import { findSessionCustomer } from '@/lib/customers/session';
import { type ChatMessage, isVisibleToCustomer, toChatMessage } from './chat-message';
import { findActiveConversation, listMessages } from './queries';

export interface CustomerChat {
  /** The site's id for this customer when they are signed in, null for anonymous visitors. */
  externalId: string | null;
  conversationId: string | null;
  messages: ChatMessage[];
  /** A person has the conversation now (so the widget shows their typing, and sends its own). */
  withPerson: boolean;
  /** Whether to show the consent notice, and the customer's answer so far. */
  consent: WidgetConsent;
}

/** What the widget shows on load: the session's ongoing conversation, so a reload keeps it. */
export async function loadCustomerChat(
  ctx: Pick<AppContext, 'database' | 'config' | 'secret'>,
  token: string | undefined,
): Promise<CustomerChat> {
  // An ended ("forget me", erased) or expired session shows a fresh chat.
  const customer =
    (await findSessionCustomer(ctx.database.db, token, ctx.secret))?.customer ?? null;
  if (!customer) {
    return {
      externalId: null,
      conversationId: null,
      messages: [],
      withPerson: false,
      consent: await getWidgetConsent(ctx, null),
    };
  }
  const conversation = await findActiveConversation(ctx.database.db, customer.id);
  const [messages, consent] = await Promise.all([
    conversation ? listMessages(ctx.database.db, conversation.id) : [],
    getWidgetConsent(ctx, customer),
  ]);
  return {
    externalId: customer.externalId,
    conversationId: conversation?.id ?? null,
    messages: messages.filter(isVisibleToCustomer).map(toChatMessage),
    withPerson: conversation?.owner === 'human',
    consent,
  };
}
