import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, conversations, messages, procedureRuns } from '@/db/schema';
import type { AppContext } from '@/lib/context';
import { answerConfirmation } from '@/lib/turn/action-decisions';
import { callsIn, customer, say, shopOrder, startActionsDesk } from '../actions/runtime-harness';

/*
 * The demo's returns procedure (content/demo/procedures.json, seeded and published with the demo
 * content) in whole turns with the built-in model: the runtime asks, reads the customer's
 * replies, looks the order up in the demo shop over HTTP, branches on its window, waits for the
 * customer's confirmation of the write, and hands off or lets the customer leave.
 */

let desk: Awaited<ReturnType<typeof startActionsDesk>>;
let app: AppContext;

beforeAll(async () => {
  desk = await startActionsDesk();
  app = desk.app;
});
afterAll(() => desk.stop());

async function runsOf(conversationId: string) {
  return app.database.db
    .select()
    .from(procedureRuns)
    .where(eq(procedureRuns.conversationId, conversationId))
    .orderBy(asc(procedureRuns.createdAt));
}

async function transcript(conversationId: string) {
  return app.database.db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.createdAt));
}

describe('the returns procedure, offline', () => {
  it('takes a signed-in customer through a return to the label, with every step recorded', async () => {
    const alice = await customer(app, 'demo-alice');
    const first = await say(app, alice, 'I want to return my order');
    expect(first.text).toBe(
      'Which order would you like to return? Its number starts with #PC, for example #PC104962.',
    );
    expect(first.tools).toEqual([]);

    const second = await say(app, alice, 'It is #PC104962', first.conversationId);
    expect(second.tools).toEqual(['order_status']);
    expect(second.text).toMatch(
      /^Order #PC104962 can be returned until \d{1,2} \w+ \d{4}\. Why is it going back\?\n+- changed my mind\n- wrong size/,
    );

    const third = await say(app, alice, 'the size is wrong', first.conversationId);
    expect(third.tools).toEqual(['start_return']);
    expect(third.confirmations.map((c) => c.summary)).toEqual([
      'Start a return (order number: #PC104962, reason: wrong size)',
    ]);
    expect(third.text).toBe(
      'Please confirm: Start a return (order number: #PC104962, reason: wrong size).',
    );
    // Nothing is written before the customer confirms in the widget.
    expect((await shopOrder(app, 'PC104962')).returnNumber).toBeNull();
    expect((await runsOf(first.conversationId)).map((r) => [r.status, r.waiting])).toEqual([
      ['active', 'action'],
    ]);

    const { message } = await answerConfirmation(app, {
      customerId: alice.id,
      callId: third.confirmations[0]!.callId,
      confirmed: true,
    });
    const order = await shopOrder(app, 'PC104962');
    expect(order.returnNumber).toMatch(/^RT-\d{6}$/);
    expect(message.content).toBe(
      `Your return ${order.returnNumber} for order #PC104962 is started. Your return label: ${desk.shop.url}/api/demo-shop/return-labels/${order.returnLabelKey} — please send the parcel by ${message.content.match(/send the parcel by (.+)\.$/)?.[1]}.`,
    );
    expect(message.metadata.procedure).toMatchObject({
      name: 'start_a_return',
      status: 'completed',
      step: 'return-started',
    });
    expect((await runsOf(first.conversationId)).map((r) => r.status)).toEqual(['completed']);

    // The console's transcript shows each step; the customer's chat does not.
    const steps = (await transcript(first.conversationId)).filter((m) => m.role === 'system');
    expect(steps.map((m) => m.content)).toEqual([
      'Procedure “start_a_return” (v1) started: asked for order_number',
      'Procedure “start_a_return”: called order_status, asked for reason',
      'Procedure “start_a_return”: called start_return, waiting for the call to be confirmed or approved',
      'Procedure “start_a_return”: completed',
    ]);
    const audited = await app.database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.subjectId, first.conversationId), like(auditLog.action, 'procedure.%')),
      )
      .orderBy(asc(auditLog.at));
    expect(audited.map((a) => a.action)).toEqual([
      'procedure.started',
      'procedure.step',
      'procedure.step',
      'procedure.ended',
    ]);
    // Names of values, never the values the customer gave.
    expect(JSON.stringify(audited.map((a) => a.details))).not.toContain('PC104962');
  });

  it('asks again after an invalid order number, and goes on with a valid one', async () => {
    const alice = await customer(app, 'demo-alice');
    const first = await say(app, alice, "I'd like to return an item");
    const wrong = await say(app, alice, 'order 104962', first.conversationId);
    expect(wrong.text).toBe(
      "I couldn't find an order number in that. It starts with #PC and has six digits, for example #PC104962. Which order is it?",
    );
    expect(wrong.tools).toEqual([]);
    const right = await say(app, alice, 'sorry, PC104962', first.conversationId);
    expect(right.tools).toEqual(['order_status']);
    expect(right.text).toMatch(/Why is it going back\?/);
    const [run] = await runsOf(first.conversationId);
    expect(run).toMatchObject({ status: 'active', stepId: 'ask-reason', attempts: 0 });
    expect(run!.values).toMatchObject({ order_number: 'PC104962' });
  });

  it('hands a return outside the 30-day window to the team', async () => {
    const alice = await customer(app, 'demo-alice');
    const asked = await say(app, alice, 'I want to return order #PC104518');
    expect(asked.tools).toEqual(['order_status']);
    expect(asked.text).toMatch(
      /^Order #PC104518 is outside our 30-day returns window\. Delivered on .+; its 30-day returns window has closed\. I'm passing this to the team, who will look at it with you here\. No one from our support team is online right now, so I've opened ticket \*\*TKT-\d+\*\*/,
    );
    const [conversation] = await app.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, asked.conversationId));
    expect(conversation).toMatchObject({ owner: 'none', escalationReason: 'model_request' });
    expect((await runsOf(asked.conversationId)).map((r) => r.status)).toEqual(['handed_off']);
    expect((await shopOrder(app, 'PC104518')).returnNumber).toBeNull();
  });

  it('tells the shop’s own reason when the order cannot be looked up (another customer’s)', async () => {
    const alice = await customer(app, 'demo-alice');
    const asked = await say(app, alice, 'I want to return order #PC104777');
    expect(asked.tools).toEqual(['order_status']);
    expect(asked.text).toMatch(/^I couldn't look that order up: \S.*/);
    expect(asked.text).not.toMatch(/network|address|HTTP|status \d{3}/i);
    expect(asked.text).not.toContain('Ben');
    expect((await shopOrder(app, 'PC104777')).returnNumber).toBeNull();
  });

  it('lets the customer change their mind, and cancels the write still waiting', async () => {
    const ben = await customer(app, 'demo-ben');
    const first = await say(
      app,
      ben,
      "I'd like to return an item from order PC104777, it's the wrong size",
    );
    expect(first.confirmations).toHaveLength(1);
    const left = await say(app, ben, 'never mind, I will keep it', first.conversationId);
    expect(left.text).toBe(
      "No problem, I've stopped there and changed nothing. What else can I help with?",
    );
    expect((await runsOf(first.conversationId)).map((r) => r.status)).toEqual(['left']);
    const calls = await callsIn(app, first.conversationId);
    expect(calls.find((c) => c.actionName === 'start_return')?.status).toBe('cancelled');
    expect((await shopOrder(app, 'PC104777')).returnNumber).toBeNull();
  });

  it('ends with the step’s own words when the customer cancels the confirmation in the widget', async () => {
    const ben = await customer(app, 'demo-ben');
    const asked = await say(
      app,
      ben,
      "I'd like to return an item from order PC104777, it's the wrong size",
    );
    const { call, message } = await answerConfirmation(app, {
      customerId: ben.id,
      callId: asked.confirmations[0]!.callId,
      confirmed: false,
    });
    expect(call.status).toBe('cancelled');
    expect(message.content).toBe(
      "No problem, I haven't started a return; your order stays as it is.",
    );
    expect(message.metadata.procedure).toMatchObject({ name: 'start_a_return', status: 'left' });
    expect((await runsOf(asked.conversationId)).map((r) => r.status)).toEqual(['left']);
  });

  it('leaves the procedure when the customer clearly asks about something else', async () => {
    const alice = await customer(app, 'demo-alice');
    const first = await say(app, alice, 'I want to return my order');
    const other = await say(
      app,
      alice,
      'What payment methods do you accept?',
      first.conversationId,
    );
    expect(other.text).not.toMatch(/Which order/);
    expect((await runsOf(first.conversationId)).map((r) => r.status)).toEqual(['left']);
    // A later request starts it afresh.
    const again = await say(app, alice, 'I want to return order #PC104962', first.conversationId);
    expect(again.tools).toEqual(['order_status']);
    expect((await runsOf(first.conversationId)).map((r) => r.status)).toEqual(['left', 'active']);
  });

  it('hands off when the customer asks for a person at a step', async () => {
    const alice = await customer(app, 'demo-alice');
    const first = await say(app, alice, 'I want to return my order');
    await say(app, alice, 'can I talk to a real person please', first.conversationId);
    expect((await runsOf(first.conversationId)).map((r) => r.status)).toEqual(['handed_off']);
    const [conversation] = await app.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, first.conversationId));
    expect(conversation?.escalationReason).toBe('customer_request');
  });

  it('answers a question about the returns policy from the help center, not with the procedure', async () => {
    const alice = await customer(app, 'demo-alice');
    const asked = await say(app, alice, 'Do I have to pay to send a return back?');
    expect(await runsOf(asked.conversationId)).toEqual([]);
  });
});
