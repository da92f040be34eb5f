import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as decideAsAgent } from '@/app/api/console/action-calls/[id]/route';
import { GET as consoleConversation } from '@/app/api/console/conversations/[id]/route';
import { POST as answerCall, GET as callState } from '@/app/api/widget/action-calls/[id]/route';
import type { AppContext } from '@/lib/context';
import { loadCustomerChat } from '@/lib/conversations/load-customer-chat';
import { tokenFor } from '@/lib/customers/session';
import { signedInStaff } from '../harness/app';
import { customer, say, shopOrder, startActionsDesk } from './runtime-harness';

/*
 * The faces of a waiting call: the widget's confirm and cancel (the customer's own calls only),
 * the chat history that shows the control again after a reload, and the console's approval.
 */

let desk: Awaited<ReturnType<typeof startActionsDesk>>;
let app: AppContext;
let agentCookie: string;

beforeAll(async () => {
  desk = await startActionsDesk();
  app = desk.app;
  agentCookie = (await signedInStaff(app, 'agent', 'Dana')).cookie;
});
afterAll(() => desk.stop());

const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function asCustomer(who: 'demo-alice' | 'demo-ben') {
  const row = await customer(app, who);
  return { row, session: tokenFor(row, app.secret) };
}

function widget(method: 'GET' | 'POST', callId: string, session?: string, body?: unknown) {
  return new Request(`http://localhost/api/widget/action-calls/${callId}`, {
    method,
    headers: {
      ...(session ? { 'x-tandem-session': session } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('the widget’s confirmation', () => {
  it('is answered by the customer whose call it is, once, with the outcome as a message', async () => {
    const alice = await asCustomer('demo-alice');
    const ben = await asCustomer('demo-ben');
    const asked = await say(app, alice.row, 'Please cancel my order #PC105120');
    const callId = asked.confirmations[0]!.callId;

    const state = await callState(widget('GET', callId, alice.session), params(callId));
    expect(await state.json()).toEqual({
      call: {
        id: callId,
        status: 'awaiting_confirmation',
        summary: 'Cancel an order (order number: #PC105120)',
      },
    });
    expect((await callState(widget('GET', callId, ben.session), params(callId))).status).toBe(404);
    expect(
      (await answerCall(widget('POST', callId, undefined, { decision: 'confirm' }), params(callId)))
        .status,
    ).toBe(401);
    expect(
      (
        await answerCall(
          widget('POST', callId, ben.session, { decision: 'confirm' }),
          params(callId),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await answerCall(
          widget('POST', 'not-a-call', alice.session, { decision: 'confirm' }),
          params('not-a-call'),
        )
      ).status,
    ).toBe(404);
    expect((await shopOrder(app, 'PC105120')).status).toBe('processing');

    const answered = await answerCall(
      widget('POST', callId, alice.session, { decision: 'confirm' }),
      params(callId),
    );
    expect(answered.status).toBe(200);
    const body = (await answered.json()) as {
      call: { status: string };
      message: { id: string; role: string; parts: { type: string; text?: string }[] };
    };
    expect(body.call.status).toBe('completed');
    expect(body.message.role).toBe('assistant');
    expect(body.message.parts[0]!.text).toMatch(/^Done: order #PC105120 is cancelled\./);
    expect((await shopOrder(app, 'PC105120')).status).toBe('cancelled');

    const again = await answerCall(
      widget('POST', callId, alice.session, { decision: 'cancel' }),
      params(callId),
    );
    expect(again.status).toBe(409);
    expect((await again.json()).error.details).toEqual({ status: 'completed' });

    // After a reload the chat shows the request again (its control asks the call's state).
    const chat = await loadCustomerChat(app, alice.session);
    const request = chat.messages.flatMap((m) =>
      m.parts.filter((p) => p.type === 'data-confirmation'),
    );
    expect(request).toEqual([
      {
        type: 'data-confirmation',
        id: callId,
        data: {
          callId,
          action: 'cancel_order',
          summary: 'Cancel an order (order number: #PC105120)',
        },
      },
    ]);
    expect(chat.messages.at(-1)?.id).toBe(body.message.id);
  });
});

describe('the console’s approval', () => {
  it('shows a call waiting for the team in the conversation and runs it when an agent approves', async () => {
    const ben = await asCustomer('demo-ben');
    const first = await say(app, ben.row, 'Change the delivery address of order #PC105152');
    const address = '20 Collyer Quay, #09-01, Singapore 049319';
    const second = await say(app, ben.row, address, first.conversationId);
    const callId = second.confirmations[0]!.callId;
    const confirmed = await answerCall(
      widget('POST', callId, ben.session, { decision: 'confirm' }),
      params(callId),
    );
    expect((await confirmed.json()).call.status).toBe('awaiting_approval');

    const detail = await consoleConversation(
      new Request(`http://localhost/api/console/conversations/${first.conversationId}`, {
        headers: { cookie: agentCookie },
      }),
      params(first.conversationId),
    );
    const { actionCalls } = (await detail.json()) as {
      actionCalls: { id: string; status: string; summary: string }[];
    };
    expect(actionCalls).toEqual([
      expect.objectContaining({
        id: callId,
        status: 'awaiting_approval',
        summary: `Change the delivery address (order number: #PC105152, new address: ${address})`,
      }),
    ]);

    const decide = (cookie: string | undefined, body: unknown) =>
      decideAsAgent(
        new Request(`http://localhost/api/console/action-calls/${callId}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
          body: JSON.stringify(body),
        }),
        params(callId),
      );
    expect((await decide(undefined, { decision: 'approve' })).status).toBe(401);
    expect((await shopOrder(app, 'PC105152')).deliveryAddress).not.toBe(address);
    const approved = await decide(agentCookie, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({
      call: { id: callId, status: 'completed', error: null },
      message: { content: `Done: order #PC105152 will now be delivered to ${address}.` },
    });
    expect((await shopOrder(app, 'PC105152')).deliveryAddress).toBe(address);
    expect((await decide(agentCookie, { decision: 'reject' })).status).toBe(409);
  });
});
