import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { procedures } from '@/db/schema';
import type { StaffActor } from '@/lib/actions/calls';
import type { AppContext } from '@/lib/context';
import { listenToConversationEvents, type PublishedEvent } from '@/lib/events/conversation-events';
import { createStaff } from '@/lib/staff/queries';
import { answerConfirmation, decideApproval } from '@/lib/turn/action-decisions';
import { callsIn, customer, say, shopOrder, startActionsDesk } from './runtime-harness';

/*
 * The demo's actions in whole turns with the built-in model (no API key): the runtime, not the
 * model, decides who may act, asks for what is missing, waits for the customer's confirmation
 * and the team's approval, and tells the customer what came of it.
 */

let desk: Awaited<ReturnType<typeof startActionsDesk>>;
let app: AppContext;
let agent: StaffActor;

beforeAll(async () => {
  desk = await startActionsDesk();
  app = desk.app;
  const dana = await createStaff(app.database.db, {
    email: 'dana@example.com',
    name: 'Dana',
    role: 'agent',
    password: 'a good password',
  });
  agent = { type: 'staff', id: dana.id, name: dana.name, role: 'agent' };
});
afterAll(() => desk.stop());

describe('a signed-in demo customer', () => {
  it('asks where their order is and is told its status from the shop', async () => {
    const alice = await customer(app, 'demo-alice');
    const said = await say(app, alice, 'Where is my order #PC105087?');
    expect(said.tools).toEqual(['order_status']);
    expect(said.text).toMatch(
      /^Order #PC105087 — Dispatched\. Dispatched on \d{1,2} \w+ \d{4} with Ninja Van, tracking number NVSG26118405\./,
    );
    const [call] = await callsIn(app, said.conversationId);
    expect(call).toMatchObject({
      actionName: 'order_status',
      status: 'completed',
      input: { order_number: '#PC105087' },
    });
    // The identity-bound input went to the shop from the signed-in customer only.
    expect(desk.shop.requests.at(-1)?.path).toBe('/api/demo-shop/orders/%23PC105087');
  });

  it('asks to cancel, confirms in the widget, and the shop shows the order cancelled', async () => {
    const alice = await customer(app, 'demo-alice');
    const asked = await say(app, alice, 'Please cancel my order #PC105120');
    expect(asked.tools).toEqual(['cancel_order']);
    expect(asked.confirmations).toEqual([
      {
        callId: expect.any(String),
        action: 'cancel_order',
        summary: 'Cancel an order (order number: #PC105120)',
      },
    ]);
    expect(asked.text).toBe('Please confirm: Cancel an order (order number: #PC105120).');
    // Nothing is sent before the customer confirms.
    expect((await shopOrder(app, 'PC105120')).status).toBe('processing');
    const requests = desk.shop.requests.length;

    const events: PublishedEvent[] = [];
    const stopListening = await listenToConversationEvents(app, (e) => events.push(e));
    const { call, message } = await answerConfirmation(app, {
      customerId: alice.id,
      callId: asked.confirmations[0]!.callId,
      confirmed: true,
    });
    expect(call.status).toBe('completed');
    expect((await shopOrder(app, 'PC105120')).status).toBe('cancelled');
    expect(desk.shop.requests.slice(requests).map((r) => r.path)).toEqual([
      '/api/demo-shop/orders/%23PC105120/cancel',
    ]);
    expect(message.content).toMatch(
      /^Done: order #PC105120 is cancelled\. Cancelled on .+\. The full amount goes back to your original payment method\.$/,
    );
    expect(message.role).toBe('ai');
    // Told live too, as the customer's widget and the console hear it.
    await vi.waitFor(() =>
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'message.created',
          conversationId: asked.conversationId,
          message: expect.objectContaining({ id: message.id, role: 'ai' }),
        }),
      ),
    );
    stopListening();
    // A second answer changes nothing.
    await expect(
      answerConfirmation(app, { customerId: alice.id, callId: call.id, confirmed: true }),
    ).rejects.toMatchObject({ code: 'conflict:action_call' });
  });

  it('can cancel the request instead: nothing reaches the shop', async () => {
    const ben = await customer(app, 'demo-ben');
    const asked = await say(app, ben, 'I want to cancel order PC105152');
    const requests = desk.shop.requests.length;
    const { call, message } = await answerConfirmation(app, {
      customerId: ben.id,
      callId: asked.confirmations[0]!.callId,
      confirmed: false,
    });
    expect(call.status).toBe('cancelled');
    expect(message.content).toBe(
      "All right, I won't go ahead with that: Cancel an order (order number: PC105152).",
    );
    expect(desk.shop.requests.length).toBe(requests);
    expect((await shopOrder(app, 'PC105152')).status).toBe('processing');
  });

  it('cannot confirm another customer’s call', async () => {
    const ben = await customer(app, 'demo-ben');
    const alice = await customer(app, 'demo-alice');
    const asked = await say(app, ben, 'Cancel my order #PC105152');
    await expect(
      answerConfirmation(app, {
        customerId: alice.id,
        callId: asked.confirmations[0]!.callId,
        confirmed: true,
      }),
    ).rejects.toMatchObject({ code: 'not_found:action_call' });
    expect((await shopOrder(app, 'PC105152')).status).toBe('processing');
  });

  it('is asked for the order number when they did not give it, then asked to confirm', async () => {
    const alice = await customer(app, 'demo-alice');
    const first = await say(app, alice, 'I want to cancel my order');
    expect(first.text).toBe(
      'Cancel an order: what is the order number? The order number, which starts with #PC, e.g. #PC105120.',
    );
    expect(first.confirmations).toEqual([]);
    expect(await callsIn(app, first.conversationId)).toEqual([]);
    // An answer that is not an order number is asked for again.
    const second = await say(app, alice, 'the one from last week', first.conversationId);
    expect(second.text).toBe(first.text);
    const third = await say(app, alice, 'Oh it is PC105087', first.conversationId);
    expect(third.confirmations.map((c) => c.summary)).toEqual([
      'Cancel an order (order number: PC105087)',
    ]);
    // Confirmed, the shop refuses (it is dispatched) and the customer is told why.
    const { call, message } = await answerConfirmation(app, {
      customerId: alice.id,
      callId: third.confirmations[0]!.callId,
      confirmed: true,
    });
    expect(call.status).toBe('failed');
    expect(message.content).toBe(
      'That did not go through. Order #PC105087 is already dispatched, so it can no longer be cancelled. Once it arrives, you can return it within 30 days instead.',
    );
  });

  it('starts a return, asked for the reason, and gets the return label link', async () => {
    // The start_return action on its own: the demo's returns procedure, which would otherwise
    // take this request, is tested in tests/procedures.
    await app.database.db.delete(procedures);
    const alice = await customer(app, 'demo-alice');
    const first = await say(app, alice, 'I want to return order #PC104962');
    expect(first.text).toBe(
      'Start a return: what is the reason? Why the item is going back. Choose one: changed my mind, wrong size, wrong colour, not as described, no longer needed.',
    );
    const second = await say(app, alice, "I've changed my mind", first.conversationId);
    expect(second.confirmations.map((c) => c.summary)).toEqual([
      'Start a return (order number: #PC104962, reason: changed my mind)',
    ]);
    const { message } = await answerConfirmation(app, {
      customerId: alice.id,
      callId: second.confirmations[0]!.callId,
      confirmed: true,
    });
    const started = await shopOrder(app, 'PC104962');
    expect(started.returnNumber).toMatch(/^RT-\d{6}$/);
    expect(message.content).toBe(
      `Your return ${started.returnNumber} for order #PC104962 is started. Your return label: ${desk.shop.url}/api/demo-shop/return-labels/${started.returnLabelKey} — send the parcel by ${message.content.match(/send the parcel by (.+)\.$/)?.[1]}.`,
    );
  });

  it('is told a return is outside the window', async () => {
    await app.database.db.delete(procedures);
    const alice = await customer(app, 'demo-alice');
    const asked = await say(
      app,
      alice,
      'Please return the jars from order PC104518, I changed my mind.',
    );
    const { call, message } = await answerConfirmation(app, {
      customerId: alice.id,
      callId: asked.confirmations[0]!.callId,
      confirmed: true,
    });
    expect(call.status).toBe('failed');
    expect(message.content).toMatch(/outside the returns window\.$/);
    expect((await shopOrder(app, 'PC104518')).returnNumber).toBeNull();
  });
});

describe('an action needing approval', () => {
  it('waits for the team after the customer confirms, and runs when an agent approves', async () => {
    const ben = await customer(app, 'demo-ben');
    const first = await say(app, ben, 'Change the delivery address of order #PC105152');
    expect(first.text).toBe(
      'Change the delivery address: what is the new address? The full new delivery address: street, unit and postal code.',
    );
    const address = '1 Raffles Place, #20-01, Singapore 048616';
    const second = await say(app, ben, address, first.conversationId);
    expect(second.confirmations.map((c) => c.summary)).toEqual([
      `Change the delivery address (order number: #PC105152, new address: ${address})`,
    ]);
    const waiting = await answerConfirmation(app, {
      customerId: ben.id,
      callId: second.confirmations[0]!.callId,
      confirmed: true,
    });
    expect(waiting.call.status).toBe('awaiting_approval');
    expect(waiting.message.content).toMatch(
      /^Thanks\. A member of our team needs to approve this first/,
    );
    expect((await shopOrder(app, 'PC105152')).deliveryAddress).not.toBe(address);

    const approved = await decideApproval(app, {
      callId: waiting.call.id,
      agent,
      approved: true,
    });
    expect(approved.call.status).toBe('completed');
    expect((await shopOrder(app, 'PC105152')).deliveryAddress).toBe(address);
    expect(approved.message.content).toBe(
      `Done: order #PC105152 will now be delivered to ${address}.`,
    );
  });

  it('is dropped when an agent rejects it, and the customer is told', async () => {
    const ben = await customer(app, 'demo-ben');
    const asked = await say(app, ben, 'Change the delivery address of order #PC105152');
    const second = await say(app, ben, '99 Fake Street, Singapore 000000', asked.conversationId);
    const waiting = await answerConfirmation(app, {
      customerId: ben.id,
      callId: second.confirmations[0]!.callId,
      confirmed: true,
    });
    const rejected = await decideApproval(app, {
      callId: waiting.call.id,
      agent,
      approved: false,
      reason: 'Please call us to change it.',
    });
    expect(rejected.call.status).toBe('rejected');
    expect(rejected.message.content).toMatch(
      /^Our team could not approve this request: .+ Please call us to change it\.$/,
    );
    expect((await shopOrder(app, 'PC105152')).deliveryAddress).not.toContain('Fake Street');
  });
});

describe('an anonymous visitor', () => {
  it('asking the same is asked to sign in, and no call is made', async () => {
    const visitor = await customer(app, 'anonymous');
    const requests = desk.shop.requests.length;
    for (const text of ['Please cancel my order #PC105152', 'Where is my order #PC105087?']) {
      const said = await say(app, visitor, text);
      expect(said.text).toBe(
        'I can only do that for a signed-in customer. Please sign in on the website, then ask again.',
      );
      expect(said.confirmations).toEqual([]);
      expect(await callsIn(app, said.conversationId)).toEqual([]);
    }
    expect(desk.shop.requests.length).toBe(requests);
  });
});
