import { z } from 'zod';
import { getCustomerConversation } from '@/lib/conversations/customer-conversations';
import { TandemError } from '@/lib/errors';
import { widgetRoute } from '../../../widget-route';

const notYours = () =>
  new TandemError('not_found:conversation', 'No conversation of yours has that id.');

/**
 * One of the session's customer's conversations with what they saw of it. Someone else's is
 * reported as missing, so a visitor cannot learn which ids exist.
 */
export const GET = widgetRoute(
  { surface: 'chat', session: 'required', params: ['id'] },
  async ({ app, params, customer }) => {
    if (!z.uuid().safeParse(params.id).success) throw notYours();
    const conversation = await getCustomerConversation(
      app.database.db,
      customer.id,
      params.id,
    ).catch((error: unknown) => {
      if (error instanceof TandemError && error.code === 'forbidden:conversation') throw notYours();
      throw error;
    });
    return Response.json(conversation, { headers: { 'cache-control': 'private, no-store' } });
  },
);
