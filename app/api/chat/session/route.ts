import { loadCustomerChat } from '@/lib/conversations/load-customer-chat';
import { tokenFor } from '@/lib/customers/session';
import { widgetRoute } from '../../widget-route';

/**
 * The chat as the session left it, for a widget that holds its session only as a token: the
 * loader's frame on another site, which gets no cookie, asks this after a reload (the page it
 * renders first cannot know the session).
 */
export const GET = widgetRoute(
  { surface: 'chat', session: 'required' },
  async ({ app, customer }) => {
    // loadCustomerChat reads a token; this one names exactly the customer the wrapper accepted.
    const { conversationId, messages, withPerson, consent } = await loadCustomerChat(
      app,
      tokenFor(customer, app.secret),
    );
    return Response.json(
      { conversationId, messages, withPerson, consent },
      { headers: { 'cache-control': 'private, no-store' } },
    );
  },
);
