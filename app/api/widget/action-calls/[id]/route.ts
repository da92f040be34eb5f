import { z } from 'zod';
import { toChatMessage } from '@/lib/conversations/chat-message';
import { TandemError } from '@/lib/errors';
import { answerConfirmation, customerCallState } from '@/lib/turn/action-decisions';
import { widgetRoute } from '../../../widget-route';

const callId = (id: string) => {
  if (!z.uuid().safeParse(id).success) {
    throw new TandemError('not_found:action_call', 'No action call has that id.');
  }
  return id;
};

/** Where a call the customer was asked to confirm stands now (the widget shows it on reload). */
export const GET = widgetRoute(
  { surface: 'action_call', session: 'required', params: ['id'] },
  async ({ app, params, customer }) => {
    const call = await customerCallState(app, {
      customerId: customer.id,
      callId: callId(params.id),
    });
    return Response.json({ call }, { headers: { 'cache-control': 'private, no-store' } });
  },
);

const body = z.object({ decision: z.enum(['confirm', 'cancel']) });

/**
 * The customer's confirm or cancel: the call runs (or waits for the team's approval) or is
 * dropped, and the assistant's message saying so comes back, as it also arrives live.
 */
export const POST = widgetRoute(
  { surface: 'action_call', session: 'required', params: ['id'], body, maxBytes: 256 },
  async ({ app, params, body, customer }) => {
    const { call, message } = await answerConfirmation(app, {
      customerId: customer.id,
      callId: callId(params.id),
      confirmed: body.decision === 'confirm',
    });
    return Response.json({
      call: { id: call.id, status: call.status, summary: call.summary },
      message: toChatMessage(message),
    });
  },
);
