import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TandemError } from '@/lib/errors';
import { type ProcedureDefinition, parseProcedure } from '@/lib/procedures/definition';
import { readDate, readYesNo } from '@/lib/procedures/read-value';
import {
  advance,
  type ProcedureEffect,
  type RunState,
  startProcedure,
} from '@/lib/procedures/runner';

const NOW = new Date('2026-12-10T08:00:00Z');
const demo = JSON.parse(
  readFileSync(path.join(process.cwd(), 'content/demo/procedures.json'), 'utf8'),
) as { procedures: unknown[] };
const returns = parseProcedure(demo.procedures[0]);

/** A fake order system standing in for the demo's actions, answering as they do. */
const ORDERS: Record<string, { status_label: string; returnable_until: string | null }> = {
  PC104962: { status_label: 'Delivered', returnable_until: '5 January 2027' },
  PC104518: { status_label: 'Delivered', returnable_until: null },
  PC105120: { status_label: 'Processing', returnable_until: null },
};
function fakeAction(action: string, input: Record<string, unknown>) {
  const number = String(input.order_number).replace('#', '').toUpperCase();
  const order = ORDERS[number];
  if (!order) return { error: { message: `No order ${input.order_number} on your account.` } };
  const presented = { number: `#${number}`, status_detail: `(${order.status_label})`, ...order };
  if (action === 'order_status') return { order: presented };
  return {
    order: {
      number: `#${number}`,
      return: {
        number: 'RT-123456',
        send_by: '24 December 2026',
        label_url: `https://shop/label/${number}`,
      },
    },
  };
}

/** Runs a conversation: each customer reply, and every action call answered by the fake. */
function converse(
  def: ProcedureDefinition,
  replies: string[],
  known: Record<string, unknown> = {},
  decline = false,
) {
  const effects: ProcedureEffect[] = [];
  const calls: { action: string; input: Record<string, unknown> }[] = [];
  const settle = (step: { state: RunState; effects: ProcedureEffect[] }): RunState => {
    effects.push(...step.effects);
    const call = step.effects.find((e) => e.type === 'call');
    if (call?.type !== 'call') return step.state;
    calls.push({ action: call.action, input: call.input });
    if (decline && call.action === 'start_return') {
      return settle(
        advance(def, step.state, { type: 'confirmation', confirmed: false }, { now: NOW }),
      );
    }
    const output = fakeAction(call.action, call.input);
    return settle(
      advance(
        def,
        step.state,
        { type: 'action_result', action: call.action, ok: true, output },
        { now: NOW },
      ),
    );
  };
  let state = settle(startProcedure(def, known, { now: NOW }));
  for (const text of replies)
    state = settle(advance(def, state, { type: 'reply', text }, { now: NOW }));
  return {
    state,
    effects,
    calls,
    said: effects.flatMap((e) => (e.type === 'say' ? [e.text] : [])),
  };
}

describe('procedure validation', () => {
  const base = { name: 'p_test', description: 'Test.' };
  const fields = (steps: unknown[]) => {
    try {
      parseProcedure({ ...base, steps });
    } catch (error) {
      expect(error).toBeInstanceOf(TandemError);
      return ((error as TandemError).details as { fields: { field: string }[] }).fields.map(
        (f) => f.field,
      );
    }
    return [];
  };

  it('accepts the demo returns procedure', () => {
    expect(returns.steps.length).toBeGreaterThan(5);
  });

  it('rejects duplicate ids, missing branch targets and values used before they are set', () => {
    expect(
      fields([
        { id: 'a', type: 'say', text: 'Hi' },
        { id: 'a', type: 'end' },
      ]),
    ).toEqual(['steps.1.id']);
    expect(
      fields([
        {
          id: 'b',
          type: 'branch',
          cases: [{ when: { value: 'x', op: 'exists' }, goto: 'nowhere' }],
          otherwise: 'c',
        },
        { id: 'c', type: 'end' },
      ]),
    ).toContain('steps.0.cases.0.goto');
    expect(fields([{ id: 'a', type: 'end', text: 'Your order {order_number}' }])).toEqual([
      'steps.0.text',
    ]);
  });

  it('requires a value on every path, not only on one', () => {
    const steps = [
      { id: 'q', type: 'ask', value: 'vip', valueType: 'boolean', prompt: 'VIP?' },
      {
        id: 'b',
        type: 'branch',
        cases: [{ when: { value: 'vip', op: 'eq', operand: true }, goto: 'ask-n' }],
        otherwise: 'use',
      },
      { id: 'ask-n', type: 'ask', value: 'n', valueType: 'number', prompt: 'How many?' },
      {
        id: 'use',
        type: 'call',
        action: 'order_status',
        input: { order_number: 'n' },
        result: 'r',
      },
      { id: 'done', type: 'end' },
    ];
    expect(fields(steps)).toEqual(['steps.3.input.order_number']);
    const fixed = steps.map((s) => (s.id === 'b' ? { ...s, otherwise: 'ask-n' } : s));
    expect(fields(fixed)).toEqual([]);
  });

  it('rejects a choice without choices, a bad pattern and an unknown hand-off reason', () => {
    expect(
      fields([
        { id: 'a', type: 'ask', value: 'r', valueType: 'choice', prompt: 'Why?' },
        { id: 'p', type: 'ask', value: 'o', pattern: '([', prompt: 'Order?' },
        { id: 'h', type: 'hand_off', reason: 'because' },
      ]),
    ).toEqual(expect.arrayContaining(['steps.0.choices', 'steps.1.pattern', 'steps.2.reason']));
  });
});

describe('reading replies', () => {
  it('reads yes and no in English and Chinese, longest phrase first', () => {
    expect(
      ['yes please', 'Yep, go ahead', 'sure thing', '好的', '是的，没错', 'of course'].map(
        readYesNo,
      ),
    ).toEqual(Array(6).fill(true));
    expect(
      ['nope', "I'm not sure", 'not really', '不是', '不要', 'no thank you'].map(readYesNo),
    ).toEqual(Array(6).fill(false));
    expect(readYesNo('yes and no')).toBeNull();
    expect(readYesNo('the parcel is blue')).toBeNull();
  });

  it('reads dates: ISO, relative, month names and Chinese', () => {
    const day = (text: string) => {
      const r = readDate(text, NOW);
      return r.ok ? r.value : null;
    };
    expect(day('it arrived 2026-11-30')).toBe('2026-11-30');
    expect(day('yesterday')).toBe('2026-12-09');
    expect(day('3 days ago')).toBe('2026-12-07');
    expect(day('two weeks ago')).toBe('2026-11-26');
    expect(day('on Dec 1')).toBe('2026-12-01');
    expect(day('the 20th of December')).toBe('2025-12-20');
    expect(day('12月1日')).toBe('2026-12-01');
    expect(day('前天')).toBe('2026-12-08');
    expect(day('2026-02-30')).toBeNull();
    expect(day('soon')).toBeNull();
  });
});

describe('the returns procedure, offline', () => {
  it('happy path: order number, look-up, reason, return started with its label link', () => {
    const run = converse(returns, ['it is #PC104962', 'the size is wrong']);
    expect(run.calls).toEqual([
      { action: 'order_status', input: { order_number: '#PC104962' } },
      { action: 'start_return', input: { order_number: '#PC104962', reason: 'wrong size' } },
    ]);
    expect(run.state.status).toBe('completed');
    expect(run.said.at(-1)).toContain('https://shop/label/PC104962');
    expect(run.effects.at(-1)).toEqual({ type: 'done', status: 'completed' });
  });

  it('re-asks an invalid order number with the reason, then hands off after too many tries', () => {
    const once = converse(returns, ['my order is 12345', 'PC104962', 'wrong colour']);
    const retry = once.effects.filter((e) => e.type === 'ask')[1];
    expect(retry).toMatchObject({ value: 'order_number', problem: expect.any(String) });
    expect(retry?.type === 'ask' && retry.prompt).toMatch(/couldn't find an order number/);
    expect(once.state.status).toBe('completed');

    const never = converse(returns, ['dunno', 'no idea', 'the blue one']);
    expect(never.calls).toEqual([]);
    expect(never.state.status).toBe('handed_off');
    expect(never.effects).toContainEqual(
      expect.objectContaining({ type: 'hand_off', reason: 'low_confidence' }),
    );
  });

  it('hands off an order outside the returns window without starting a return', () => {
    const run = converse(returns, ['PC104518']);
    expect(run.calls.map((c) => c.action)).toEqual(['order_status']);
    expect(run.state.status).toBe('handed_off');
    expect(run.said.at(-1)).toMatch(/outside our 30-day returns window/);
  });

  it('ends when the order is not delivered or not found', () => {
    expect(converse(returns, ['#PC105120']).said.at(-1)).toMatch(
      /hasn't been delivered yet \(Processing\)/,
    );
    expect(converse(returns, ['#PC999999']).said.at(-1)).toMatch(/No order #PC999999/);
  });

  it('lets the customer change their mind at a question or at the confirmation', () => {
    const atQuestion = converse(returns, ['#PC104962', 'actually never mind']);
    expect(atQuestion.state.status).toBe('left');
    expect(atQuestion.calls.map((c) => c.action)).toEqual(['order_status']);
    const chinese = converse(returns, ['算了']);
    expect(chinese.state.status).toBe('left');

    // "changed my mind" is one of the reasons, not a way out.
    const reason = converse(returns, ['#PC104962', 'I changed my mind about it']);
    expect(reason.calls.at(-1)?.input.reason).toBe('changed my mind');

    const declined = converse(returns, ['#PC104962', 'not as described'], {}, true);
    expect(declined.state.status).toBe('left');
    expect(declined.said.at(-1)).toMatch(/haven't started a return/);
  });

  it('hands off at any step when the customer asks for a person', () => {
    const run = converse(returns, ['#PC104962', 'can I talk to a real person please']);
    expect(run.state.status).toBe('handed_off');
    expect(run.effects.at(-2)).toEqual({ type: 'hand_off', reason: 'customer_request' });
    expect(run.calls.map((c) => c.action)).toEqual(['order_status']);
  });

  it('skips questions whose values are already known, if they are valid', () => {
    const known = converse(returns, [], { order_number: '#PC104962', reason: 'wrong colour' });
    expect(known.effects.filter((e) => e.type === 'ask')).toEqual([]);
    expect(known.state.status).toBe('completed');
    const invalid = converse(returns, [], { order_number: 'twelve' });
    expect(invalid.effects[0]).toMatchObject({ type: 'ask', value: 'order_number' });
  });

  it('ignores events that do not fit the step and a finished run', () => {
    const { state } = startProcedure(returns, {}, { now: NOW });
    const stray = advance(returns, state, {
      type: 'action_result',
      action: 'order_status',
      ok: true,
      output: {},
    });
    expect(stray).toEqual({ state, effects: [] });
    const done = converse(returns, ['PC104518']).state;
    expect(advance(returns, done, { type: 'reply', text: 'PC104962' }).effects).toEqual([]);
  });
});
