import { asksForPerson } from '@/lib/classify/person-request';
import type { EscalationReason } from '@/lib/conversations/escalation-reasons';
import {
  type Condition,
  type ProcedureDefinition,
  type ProcedureStep,
  TEXT_PLACEHOLDER,
} from './definition';
import { readValue, wantsToLeave } from './read-value';

/*
 * The procedure runtime as a pure state machine: the state is data stored on the conversation
 * (store.ts), each event (the customer's reply, an action's result, the customer's answer to a
 * confirmation) gives the next state and the effects the turn carries out. No model needed.
 */

export type RunStatus = 'active' | 'completed' | 'handed_off' | 'left';

export interface RunState {
  stepId: string;
  values: Record<string, unknown>;
  /** Replies in a row that held no valid value for the current ask step. */
  attempts: number;
  status: RunStatus;
  /** What the current step waits for; null once finished. */
  waiting: 'reply' | 'action' | null;
}

export type ProcedureEffect =
  | { type: 'say'; text: string }
  | {
      type: 'ask';
      value: string;
      prompt: string;
      choices?: string[];
      problem?: string;
      /** The prompt is the step's retry prompt, which already says what was wrong. */
      explained?: boolean;
    }
  | { type: 'call'; action: string; input: Record<string, unknown>; result: string }
  | { type: 'hand_off'; reason: EscalationReason; note?: string }
  | { type: 'done'; status: Exclude<RunStatus, 'active'> };

export type ProcedureEvent =
  | { type: 'reply'; text: string }
  | { type: 'action_result'; action: string; ok: true; output: unknown }
  | { type: 'action_result'; action: string; ok: false; error: string }
  /** The customer's answer to a write action's confirmation control. */
  | { type: 'confirmation'; confirmed: boolean };

export interface Step {
  state: RunState;
  effects: ProcedureEffect[];
}

export interface RunOptions {
  now?: Date;
}

// A branch that loops back without asking or calling would spin; no real procedure needs more.
const MAX_STEPS_PER_EVENT = 200;

/** A value in the collected values by its dotted path (`order.order.status`). */
export function valueAt(values: Record<string, unknown>, path: string): unknown {
  let current: unknown = values;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderText(template: string, values: Record<string, unknown>): string {
  return template.replace(TEXT_PLACEHOLDER, (_, path: string) => show(valueAt(values, path)));
}

const DAY_MS = 86_400_000;

function asTime(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' || !/\d/.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return null;
}

function same(a: unknown, b: unknown): boolean {
  const [x, y] = [asNumber(a), asNumber(b)];
  if (x !== null && y !== null) return x === y;
  if (typeof a === 'string' && typeof b === 'string') {
    return a.trim().toLowerCase() === b.trim().toLowerCase();
  }
  return a === b;
}

function order(a: unknown, b: unknown): number | null {
  const [x, y] = [asNumber(a), asNumber(b)];
  if (x !== null && y !== null) return x - y;
  const [s, t] = [asTime(a), asTime(b)];
  return s !== null && t !== null ? s - t : null;
}

/** Evaluates a condition over the collected values; a value that is absent makes it false. */
export function holds(condition: Condition, values: Record<string, unknown>, now: Date): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(c, values, now));
  if ('any' in condition) return condition.any.some((c) => holds(c, values, now));
  if ('not' in condition) return !holds(condition.not, values, now);
  const value = valueAt(values, condition.value);
  const operand = condition.operand;
  if (condition.op === 'exists') return value !== undefined && value !== null && value !== '';
  if (value === undefined || value === null) return condition.op === 'neq';
  switch (condition.op) {
    case 'eq':
      return same(value, operand);
    case 'neq':
      return !same(value, operand);
    case 'in':
      return Array.isArray(operand) && operand.some((o) => same(value, o));
    case 'within_days': {
      const time = asTime(value);
      return (
        time !== null && typeof operand === 'number' && now.getTime() - time <= operand * DAY_MS
      );
    }
    default: {
      const diff = order(value, operand);
      if (diff === null) return false;
      return { lt: diff < 0, lte: diff <= 0, gt: diff > 0, gte: diff >= 0 }[condition.op];
    }
  }
}

const indexOf = (def: ProcedureDefinition, id: string) => def.steps.findIndex((s) => s.id === id);

function finish(
  state: RunState,
  status: Exclude<RunStatus, 'active'>,
  effects: ProcedureEffect[],
): Step {
  effects.push({ type: 'done', status });
  return { state: { ...state, status, waiting: null, attempts: 0 }, effects };
}

function askEffect(
  step: Extract<ProcedureStep, { type: 'ask' }>,
  values: Record<string, unknown>,
  problem?: string,
): ProcedureEffect {
  return {
    type: 'ask',
    value: step.value,
    prompt: renderText(problem && step.retryPrompt ? step.retryPrompt : step.prompt, values),
    ...(step.choices ? { choices: step.choices } : {}),
    ...(problem ? { problem } : {}),
    ...(problem && step.retryPrompt ? { explained: true } : {}),
  };
}

/** Carries on from a step until one waits for the customer or an action, or the procedure ends. */
function runFrom(
  def: ProcedureDefinition,
  start: number,
  state: RunState,
  effects: ProcedureEffect[],
  now: Date,
): Step {
  let index = start;
  const values = { ...state.values };
  for (let taken = 0; taken < MAX_STEPS_PER_EVENT; taken++) {
    const step = def.steps[index];
    const at = { ...state, values, stepId: step?.id ?? state.stepId, attempts: 0 };
    if (!step) return finish(at, 'completed', effects);
    switch (step.type) {
      case 'say':
        effects.push({ type: 'say', text: renderText(step.text, values) });
        index++;
        break;
      case 'ask':
        if (values[step.value] !== undefined) {
          index++;
          break;
        }
        effects.push(askEffect(step, values));
        return { state: { ...at, waiting: 'reply' }, effects };
      case 'call': {
        const input = Object.fromEntries(
          Object.entries(step.input).map(([name, path]) => [name, valueAt(values, path)]),
        );
        effects.push({ type: 'call', action: step.action, input, result: step.result });
        return { state: { ...at, waiting: 'action' }, effects };
      }
      case 'branch': {
        const chosen = step.cases.find((c) => holds(c.when, values, now));
        const target = chosen?.goto ?? step.otherwise;
        index = target ? indexOf(def, target) : index + 1;
        break;
      }
      case 'hand_off':
        if (step.text) effects.push({ type: 'say', text: renderText(step.text, values) });
        effects.push({
          type: 'hand_off',
          reason: step.reason,
          ...(step.note ? { note: step.note } : {}),
        });
        return finish(at, 'handed_off', effects);
      case 'end':
        if (step.text) effects.push({ type: 'say', text: renderText(step.text, values) });
        return finish(at, 'completed', effects);
    }
  }
  effects.push({
    type: 'hand_off',
    reason: 'model_request',
    note: 'The procedure went round in a loop.',
  });
  return finish({ ...state, values }, 'handed_off', effects);
}

/**
 * Starts a procedure. `known` holds values already given in the conversation or by the customer's
 * record; ask steps for them are skipped, once each is read as valid by its step's reader.
 */
export function startProcedure(
  def: ProcedureDefinition,
  known: Record<string, unknown> = {},
  options: RunOptions = {},
): Step {
  const now = options.now ?? new Date();
  const values: Record<string, unknown> = {};
  for (const step of def.steps) {
    if (step.type !== 'ask' || known[step.value] === undefined || values[step.value] !== undefined)
      continue;
    const reading = readValue(step, show(known[step.value]), now);
    if (reading.ok) values[step.value] = reading.value;
  }
  const state: RunState = {
    stepId: def.steps[0]!.id,
    values,
    attempts: 0,
    status: 'active',
    waiting: null,
  };
  return runFrom(def, 0, state, [], now);
}

/** The next state and effects after one event; a finished run or an unexpected event changes nothing. */
export function advance(
  def: ProcedureDefinition,
  state: RunState,
  event: ProcedureEvent,
  options: RunOptions = {},
): Step {
  const now = options.now ?? new Date();
  const index = indexOf(def, state.stepId);
  const step = def.steps[index];
  if (state.status !== 'active' || !step) return { state, effects: [] };

  if (event.type === 'reply') {
    if (asksForPerson(event.text)) {
      return finish(state, 'handed_off', [{ type: 'hand_off', reason: 'customer_request' }]);
    }
    if (state.waiting !== 'reply' || step.type !== 'ask') {
      return wantsToLeave(event.text) ? finish(state, 'left', []) : { state, effects: [] };
    }
    const reading = readValue(step, event.text, now);
    // "No" answers a yes/no question; "never mind" leaves any other unless it also named a value.
    if (wantsToLeave(event.text) && !(reading.ok && reading.exact))
      return finish(state, 'left', []);
    if (reading.ok) {
      const values = { ...state.values, [step.value]: reading.value };
      return runFrom(def, index + 1, { ...state, values, attempts: 0 }, [], now);
    }
    const attempts = state.attempts + 1;
    if (attempts >= step.maxAttempts) {
      return finish({ ...state, attempts }, 'handed_off', [
        {
          type: 'hand_off',
          reason: 'low_confidence',
          note: `No valid ${step.value} after ${attempts} tries.`,
        },
      ]);
    }
    return {
      state: { ...state, attempts },
      effects: [askEffect(step, state.values, reading.problem)],
    };
  }

  if (state.waiting !== 'action' || step.type !== 'call') return { state, effects: [] };
  if (event.type === 'confirmation') {
    if (event.confirmed) return { state, effects: [] };
    return finish(
      state,
      'left',
      step.declinedText ? [{ type: 'say', text: renderText(step.declinedText, state.values) }] : [],
    );
  }
  if (event.action !== step.action) return { state, effects: [] };
  const result = event.ok ? event.output : { error: { message: event.error } };
  const values = { ...state.values, [step.result]: result };
  return runFrom(def, index + 1, { ...state, values }, [], now);
}
