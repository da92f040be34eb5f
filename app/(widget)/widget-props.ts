import { cookies } from 'next/headers';
import type { ChatPanelProps } from '@/components/widget/chat-panel';
import { loadCustomerChat } from '@/lib/conversations/load-customer-chat';
import { CUSTOMER_COOKIE } from '@/lib/customers/session';
import { getApp } from '@/lib/server/app';
import { getBranding } from '@/lib/settings/desk-setup';
import { getWidgetSettings } from '@/lib/settings/settings';

/**
 * The chat as this visitor left it — their session's conversation, or a fresh greeting — in the
 * name, colour and greeting the admins chose.
 */
export async function loadWidgetProps(): Promise<
  ChatPanelProps & { externalId: string | null; logo: string | null }
> {
  // Reading cookies first marks the page as per-request, so `next build` never opens the database.
  const token = (await cookies()).get(CUSTOMER_COOKIE)?.value;
  const app = await getApp();
  const [chat, widget, branding] = await Promise.all([
    loadCustomerChat(app, token),
    getWidgetSettings(app.database.db),
    getBranding(app.database.db),
  ]);
  return {
    externalId: chat.externalId,
    logo: branding.logo ?? null,
    initialConversationId: chat.conversationId,
    initialMessages: chat.messages,
    initialWithPerson: chat.withPerson,
    consent: chat.consent,
    botName: widget.name,
    greeting: widget.greeting,
    accentColour: widget.colour,
    maxAttachmentBytes: app.config.chat.maxAttachmentBytes,
  };
}
