import type { App } from '@/lib/app';
import { readCustomerToken } from '@/lib/customers/session';
import { type ChatMessage, toChatMessage } from './chat-message';
import { findActiveConversation, listMessages } from './queries';

export interface CustomerChat {
  conversationId: string | null;
  messages: ChatMessage[];
}

/** What the widget shows on load: the session's ongoing conversation, so a reload keeps it. */
export async function loadCustomerChat(app: App, token: string | undefined): Promise<CustomerChat> {
  const customerId = readCustomerToken(token, app.secret);
  if (!customerId) return { conversationId: null, messages: [] };
  const conversation = await findActiveConversation(app.database.db, customerId);
  if (!conversation) return { conversationId: null, messages: [] };
  const messages = await listMessages(app.database.db, conversation.id);
  return { conversationId: conversation.id, messages: messages.map(toChatMessage) };
}
