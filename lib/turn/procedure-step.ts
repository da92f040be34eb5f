import { randomUUID } from 'node:crypto';
import type { MessageMetadata, ProcedureActivity, ToolActivity } from '@/db/schema';
import { messages } from '@/db/schema';
import { type ActionOutput, actionTool } from '@/lib/actions/as-tool';
import {
  type ActionCall,
  actionDepsOf,
  cancelCall,
  listConversationCalls,
} from '@/lib/actions/calls';
import type { StoredAction } from '@/lib/actions/queries';
import { readPath } from '@/lib/actions/template';
import type { ToolContext, ToolError } from '@/lib/ai/tools';
import { asksForPerson } from '@/lib/classify/person-request';
import type { Priority } from '@/lib/classify/schema';
import type { AppContext } from '@/lib/context';
import { type Customer, findCustomer } from '@/lib/customers/queries';
import { TandemError } from '@/lib/errors';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import { log } from '@/lib/log';
import { audit } from '@/lib/privacy/audit';
import { type AskStep, TEXT_PLACEHOLDER } from '@/lib/procedures/definition';
import { readValue, valuesInMessage, wantsToLeave } from '@/lib/procedures/read-value';
import type { ProcedureEffect, ProcedureEvent } from '@/lib/procedures/runner';
import {
  advanceRun,
  endRun,
  type LoadedProcedure,
  listPublished,
  loadActiveRun,
  loadRunProcedure,
  type ProcedureRunRow,
  type RunStep,
  startRun,
} from '@/lib/procedures/store';
import { toTermSet } from '@/lib/text/terms';
import { enabledActions } from './action-tools';
import { emitText } from './answer';
import { escalateConversation } from './escalate-conversation';
import { matchProcedureOffline, matchProcedureWithModel } from './procedure-match';
import type { TurnEventSink } from './turn-events';

/*
 * Procedures in a turn. The runtime drives them with or without a model: the runner
 * (lib/procedures/runner.ts) decides each step from data, this module carries its effects out —
 * says and asks, calls actions through the same policy as the model's tools (a write waits for
 * the customer's confirmation in the widget, an approval for an agent), hands off — and records
 * every step in the transcript (a system message for the console) and the audit log. A model,
 * when there is one, only chooses which procedure a message asks for; the steps' wording is the
 * admin's, so what the customer is told is exactly what the business wrote.
 */

/** What the plan needs to know about procedures for this message. */
export interface ProcedureFacts {
  /** The run the conversation is in. */
  active: { run: ProcedureRunRow; procedure: LoadedProcedure } | null;
  /** The message clearly turns to something else, so the active run ends (left). */
  leaving: boolean;
  /** A published procedure the message asks for (when none is active, or it is left). */
  start: LoadedProcedure | null;
  /** The message answers what the active run asked (a valid order number, one of the choices). */
  answersStep: boolean;
}

export const NO_PROCEDURE: ProcedureFacts = {
  active: null,
  leaving: false,
  start: null,
  answersStep: false,
};

const LEFT_TEXT = "No problem, I've stopped there and changed nothing. What else can I help with?";
const LEFT_TEXT_ZH = '好的，我先停在这里，没有做任何更改。还有什么可以帮您？';
const CONFIRM = (summary: string) => `Please confirm: ${summary}.`;
const CONFIRM_AGAIN = (summary: string) =>
  `Please confirm or cancel with the buttons above: ${summary}.`;
const AWAITING_APPROVAL = (summary: string) =>
  `This is waiting for a member of our team to approve it: ${summary}. I'll tell you here as soon as they have.`;
const UNAVAILABLE = 'That service is not available just now.';
const SERVICE_FAILED = 'Our system could not be reached just now.';
const HAND_OFF_EXPLANATION = 'This needs a member of our team.';
const ASKED_FOR_PERSON = 'You asked for a person.';

const QUESTION_START =
  /^(?:what|whats|how|hows|why|when|where|which|who|can|could|do|does|did|is|are|will|would|should|may)\b/i;

/**
 * Whether a reply that gives no value for the step clearly asks about something else: a question
 * of its own that shares no content word with what the step asked.
 */
function changesSubject(step: AskStep | null, text: string): boolean {
  const question = /[?？]\s*$/.test(text) || QUESTION_START.test(text.trim());
  if (!question) return false;
  const terms = [...toTermSet(text)];
  if (terms.length < 2) return false;
  const asked = step ? toTermSet(step.prompt.replace(TEXT_PLACEHOLDER, ' ')) : new Set<string>();
  return !terms.some((term) => asked.has(term));
}

/**
 * The procedure facts for a message on a conversation: the run it is in and whether the message
 * leaves it, or the published procedure it asks for. `chooseWithModel` is false without a model
 * (or when the customer declined AI), and then the procedures' examples decide.
 */
export async function procedureFacts(
  ctx: AppContext,
  input: {
    conversationId: string;
    text: string;
    history: readonly string[];
    actions: readonly StoredAction[];
    chooseWithModel: boolean;
    now?: Date;
  },
): Promise<ProcedureFacts> {
  const { db } = ctx.database;
  const run = await loadActiveRun(db, input.conversationId);
  const procedure = run ? await loadRunProcedure(db, run) : null;
  if (run && !procedure) {
    // Its procedure was deleted: nothing can carry it on.
    await endRun(db, run, 'left');
  }
  const active = run && procedure ? { run, procedure } : null;
  const now = input.now ?? new Date();
  if (active && !leaves(active, input.text, now)) {
    return { active, leaving: false, start: null, answersStep: answers(active, input.text, now) };
  }
  const published = await listPublished(db);
  let start: LoadedProcedure | null = null;
  if (published.length > 0) {
    start = input.chooseWithModel
      ? await matchProcedureWithModel(ctx.model, published, input).catch((error: unknown) => {
          log.warn({ err: error }, 'the model could not choose a procedure; using the examples');
          return matchProcedureOffline(published, input.actions, input.text);
        })
      : matchProcedureOffline(published, input.actions, input.text);
  }
  return { active, leaving: active !== null, start, answersStep: false };
}

function askedBy(active: { run: ProcedureRunRow; procedure: LoadedProcedure }): AskStep | null {
  const step = active.procedure.definition.steps.find((s) => s.id === active.run.stepId);
  return step?.type === 'ask' && active.run.waiting === 'reply' ? step : null;
}

function answers(
  active: { run: ProcedureRunRow; procedure: LoadedProcedure },
  text: string,
  now: Date,
): boolean {
  const ask = askedBy(active);
  return ask !== null && readValue(ask, text, now).ok;
}

/** Whether a message clearly leaves the active run for another subject (see changesSubject). */
function leaves(
  active: { run: ProcedureRunRow; procedure: LoadedProcedure },
  text: string,
  now: Date,
): boolean {
  // "Never mind" and "a person, please" are the runner's to handle, at any step.
  if (wantsToLeave(text) || asksForPerson(text) || answers(active, text, now)) return false;
  return changesSubject(askedBy(active), text);
}

/** Who and where a procedure runs for. */
export interface ProcedureScene {
  conversationId: string;
  customer: Customer;
  actions: readonly StoredAction[];
  language?: string;
  priority: Priority;
  subject: string;
  emit: TurnEventSink;
}

/** What carrying out one or more steps came to. */
export interface ProcedureOutcome {
  text: string;
  metadata: MessageMetadata;
  run: ProcedureRunRow;
}

/** Starts the procedure a message asks for, ending one it leaves; then carries out its first steps. */
export async function startProcedureTurn(
  ctx: AppContext,
  scene: ProcedureScene,
  facts: ProcedureFacts,
  text: string,
  now = new Date(),
): Promise<ProcedureOutcome> {
  if (facts.active) await closeRun(ctx, scene, facts.active.run, 'left');
  const procedure = facts.start!;
  const asks = procedure.definition.steps.filter((s): s is AskStep => s.type === 'ask');
  const known = valuesInMessage(asks, text, now);
  let step: RunStep;
  try {
    step = await startRun(
      ctx.database.db,
      { conversationId: scene.conversationId, procedure, known },
      { now },
    );
  } catch (error) {
    // Another turn on this conversation started it a moment earlier: carry that one on.
    if (!(error instanceof TandemError && error.code === 'conflict:procedure_run')) throw error;
    const run = await loadActiveRun(ctx.database.db, scene.conversationId);
    if (!run) throw error;
    step = await advanceRun(ctx.database.db, run, { type: 'reply', text }, { now });
  }
  return follow(ctx, scene, step, { started: true, now });
}

/** Carries the active run on with the customer's reply. */
export async function continueProcedureTurn(
  ctx: AppContext,
  scene: ProcedureScene,
  active: { run: ProcedureRunRow; procedure: LoadedProcedure },
  text: string,
  now = new Date(),
): Promise<ProcedureOutcome> {
  const step = await advanceRun(ctx.database.db, active.run, { type: 'reply', text }, { now });
  // Left (or handed off) while a write waited for the customer: it must not run later.
  if (active.run.waiting === 'action' && step.run.status !== 'active') {
    await cancelPendingCalls(ctx, scene, active.run);
  }
  return follow(ctx, scene, step, { started: false, now });
}

/**
 * Ends a run from outside its steps (the turn handed off, or the customer moved on), with the
 * call it was waiting on cancelled and the end recorded.
 */
export async function closeRun(
  ctx: AppContext,
  scene: Pick<ProcedureScene, 'conversationId' | 'customer'>,
  run: ProcedureRunRow,
  status: 'handed_off' | 'left',
): Promise<ProcedureActivity | null> {
  const ended = await endRun(ctx.database.db, run, status);
  if (!ended) return null;
  if (run.waiting === 'action') await cancelPendingCalls(ctx, scene, run);
  await recordSteps(ctx, ended, [{ type: 'done', status }], { started: false, ended: true });
  return activityOf(ended);
}

const activityOf = (run: ProcedureRunRow): ProcedureActivity => ({
  name: run.procedureName,
  version: run.version,
  step: run.stepId,
  status: run.status,
});

async function cancelPendingCalls(
  ctx: AppContext,
  scene: Pick<ProcedureScene, 'conversationId' | 'customer'>,
  run: ProcedureRunRow,
) {
  const calls = await listConversationCalls(ctx.database.db, scene.conversationId);
  for (const call of calls) {
    if (call.status !== 'awaiting_confirmation' || call.createdAt < run.createdAt) continue;
    await cancelCall(actionDepsOf(ctx), call.id, { customerId: scene.customer.id }).catch(
      (error: unknown) => log.warn({ err: error, callId: call.id }, 'could not cancel the call'),
    );
  }
}

type CallOutcome =
  | { kind: 'result'; event: Extract<ProcedureEvent, { type: 'action_result' }> }
  | { kind: 'waiting'; callId: string; summary: string; status: ActionOutput['status'] };

/** Runs a procedure's call of an action under the action's own policy, as a tool call is run. */
async function callAction(
  ctx: AppContext,
  scene: ProcedureScene,
  effect: Extract<ProcedureEffect, { type: 'call' }>,
  tools: ToolActivity[],
): Promise<CallOutcome> {
  const action = scene.actions.find((a) => a.name === effect.action);
  const failed = (error: string): CallOutcome => ({
    kind: 'result',
    event: { type: 'action_result', action: effect.action, ok: false, error },
  });
  if (!action) {
    tools.push({ tool: effect.action, input: effect.input, output: { error: UNAVAILABLE } });
    return failed(UNAVAILABLE);
  }
  const toolContext: ToolContext = {
    db: ctx.database.db,
    kb: ctx.kb,
    customerId: scene.customer.id,
    conversationId: scene.conversationId,
    verified: scene.customer.externalId !== null,
    priority: scene.priority,
    escalate: async () => ({ explanation: '' }),
  };
  let output: ActionOutput | ToolError;
  try {
    output = (await actionTool(action, actionDepsOf(ctx)).run(effect.input, toolContext)) as
      | ActionOutput
      | ToolError;
  } catch (error) {
    if (!(error instanceof TandemError) || error.status >= 500) throw error;
    output = { error: error.message };
  }
  tools.push({ tool: action.name, input: effect.input, output });
  const toolCallId = `procedure-${randomUUID()}`;
  scene.emit({ type: 'tool-call', toolCallId, tool: action.name, input: effect.input });
  scene.emit({ type: 'tool-result', toolCallId, tool: action.name, output });
  if ('error' in output) return failed(await customerFacingError(ctx, scene, action, output.error));
  if (output.status === 'completed') {
    return {
      kind: 'result',
      event: { type: 'action_result', action: action.name, ok: true, output: output.result },
    };
  }
  if (output.status === 'awaiting_confirmation') {
    scene.emit({
      type: 'confirmation',
      callId: output.callId,
      action: action.name,
      summary: output.summary,
    });
  }
  return { kind: 'waiting', callId: output.callId, summary: output.summary, status: output.status };
}

/**
 * What the customer may be told of a failed call: the service's own explanation when the admin
 * let the bot see it, or a plain sentence; never the runtime's reason (a refused address, a
 * timeout). A refusal before any call (sign in first, a bad input) is the customer's already.
 */
async function customerFacingError(
  ctx: AppContext,
  scene: ProcedureScene,
  action: StoredAction,
  error: string,
): Promise<string> {
  const [call] = (await listConversationCalls(ctx.database.db, scene.conversationId)).filter(
    (c) => c.actionName === action.name,
  );
  if (call?.status !== 'failed' || call.error !== error) return error;
  const data = call.response?.data;
  for (const at of ['error.message', 'message']) {
    const said = readPath(data, at);
    if (typeof said === 'string' && said.trim()) return said.trim();
  }
  return SERVICE_FAILED;
}

const askText = (effect: Extract<ProcedureEffect, { type: 'ask' }>) => {
  const prompt =
    effect.problem && !effect.explained ? `${effect.problem} ${effect.prompt}` : effect.prompt;
  return effect.choices && !effect.problem
    ? `${prompt}\n\n${effect.choices.map((c) => `- ${c}`).join('\n')}`
    : prompt;
};

/**
 * Carries out a step's effects, feeding each action's result back to the runner until the run
 * waits for the customer or an action, or ends; then records what happened.
 */
async function follow(
  ctx: AppContext,
  scene: ProcedureScene,
  first: RunStep,
  options: { started: boolean; now: Date },
): Promise<ProcedureOutcome> {
  const { db } = ctx.database;
  const texts: string[] = [];
  const tools: ToolActivity[] = [];
  const done: ProcedureEffect[] = [];
  let escalation: MessageMetadata['escalation'];
  let run = first.run;
  let queue = [...first.effects];
  while (queue.length > 0) {
    const effect = queue.shift()!;
    done.push(effect);
    switch (effect.type) {
      case 'say':
        texts.push(effect.text);
        break;
      case 'ask':
        texts.push(askText(effect));
        break;
      case 'hand_off': {
        // The step's own words say why (the say just before it); what happens next follows.
        const said = done.at(-2)?.type === 'say' ? texts.pop() : undefined;
        const explanation =
          said ?? (effect.reason === 'customer_request' ? ASKED_FOR_PERSON : HAND_OFF_EXPLANATION);
        const handed = await escalateConversation(ctx, {
          conversationId: scene.conversationId,
          customerId: scene.customer.id,
          reason: effect.reason,
          explanation,
          language: scene.language,
          priority: scene.priority,
          subject: scene.subject,
        });
        scene.emit({ type: 'hand-off', reason: effect.reason, explanation, ticket: handed.ticket });
        escalation = { reason: effect.reason, explanation };
        texts.push(handed.message);
        break;
      }
      case 'call': {
        const outcome = await callAction(ctx, scene, effect, tools);
        if (outcome.kind === 'waiting') {
          texts.push(
            outcome.status === 'awaiting_approval'
              ? AWAITING_APPROVAL(outcome.summary)
              : CONFIRM(outcome.summary),
          );
          break;
        }
        const next = await advanceRun(db, run, outcome.event, { now: options.now });
        run = next.run;
        queue = [...next.effects, ...queue];
        break;
      }
      case 'done':
        break;
    }
  }
  // A reply while a call waits for the customer's confirmation: show it again.
  if (done.length === 0 && run.status === 'active' && run.waiting === 'action') {
    texts.push(await pendingCallText(ctx, scene, run));
  }
  if (run.status === 'left' && texts.length === 0) {
    texts.push(scene.language === 'zh' ? LEFT_TEXT_ZH : LEFT_TEXT);
  }
  await recordSteps(ctx, run, done, { started: options.started, ended: run.status !== 'active' });
  const activity = activityOf(run);
  return {
    text: texts.join('\n\n'),
    metadata: {
      procedure: activity,
      ...(tools.length ? { tools } : {}),
      ...(escalation ? { escalation } : {}),
    },
    run,
  };
}

async function pendingCallText(
  ctx: AppContext,
  scene: ProcedureScene,
  run: ProcedureRunRow,
): Promise<string> {
  const calls = await listConversationCalls(ctx.database.db, scene.conversationId);
  const pending = calls.find(
    (c) =>
      c.createdAt >= run.createdAt &&
      (c.status === 'awaiting_confirmation' || c.status === 'awaiting_approval'),
  );
  if (!pending) return 'One moment, I am still waiting for that to finish.';
  if (pending.status === 'awaiting_approval') return AWAITING_APPROVAL(pending.summary);
  scene.emit({
    type: 'confirmation',
    callId: pending.id,
    action: pending.actionName,
    summary: pending.summary,
  });
  return CONFIRM_AGAIN(pending.summary);
}

/** A step's effects as the console and the audit log show them: names, never the values. */
function describe(effect: ProcedureEffect): string | null {
  switch (effect.type) {
    case 'say':
      return null;
    case 'ask':
      return effect.problem ? `asked again for ${effect.value}` : `asked for ${effect.value}`;
    case 'call':
      return `called ${effect.action}`;
    case 'hand_off':
      return `handed off (${effect.reason}${effect.note ? `: ${effect.note}` : ''})`;
    case 'done':
      return {
        completed: 'completed',
        handed_off: 'ended with a hand-off',
        left: 'left by the customer',
      }[effect.status];
  }
}

/** Records the steps taken: a system message in the transcript and a row in the audit log. */
async function recordSteps(
  ctx: AppContext,
  run: ProcedureRunRow,
  effects: readonly ProcedureEffect[],
  options: { started: boolean; ended: boolean },
): Promise<void> {
  const { db } = ctx.database;
  const said = effects.map(describe).filter((d): d is string => d !== null);
  if (run.status === 'active' && run.waiting === 'action') {
    said.push('waiting for the call to be confirmed or approved');
  }
  const head = options.started
    ? `Procedure “${run.procedureName}” (v${run.version}) started`
    : `Procedure “${run.procedureName}”`;
  const content = said.length ? `${head}: ${said.join(', ')}` : `${head}: no change`;
  const activity = activityOf(run);
  const [message] = await db
    .insert(messages)
    .values({
      id: randomUUID(),
      conversationId: run.conversationId,
      role: 'system',
      content,
      metadata: { procedure: activity },
    })
    .returning();
  await audit(
    db,
    { type: 'system', name: 'Tandem' },
    options.started ? 'procedure.started' : options.ended ? 'procedure.ended' : 'procedure.step',
    { type: 'conversation', id: run.conversationId },
    {
      procedure: run.procedureName,
      version: run.version,
      runId: run.id,
      step: run.stepId,
      status: run.status,
      steps: said,
    },
  );
  void publishConversationEvent(ctx, run.conversationId, {
    type: 'message.created',
    message: toLiveMessage(message!),
  });
}

/**
 * After a call a procedure waited on was decided (the customer confirmed or cancelled it in the
 * widget, an agent approved or rejected it, or it ran): the procedure carries on from its result.
 * Null when the call belongs to no procedure step waiting for it.
 */
export async function continueAfterCall(
  ctx: AppContext,
  call: ActionCall,
  event: ProcedureEvent,
): Promise<ProcedureOutcome | null> {
  const { db } = ctx.database;
  const run = await loadActiveRun(db, call.conversationId);
  if (run?.waiting !== 'action' || run.createdAt > call.createdAt) return null;
  const procedure = await loadRunProcedure(db, run);
  const step = procedure?.definition.steps.find((s) => s.id === run.stepId);
  if (!procedure || step?.type !== 'call' || step.action !== call.actionName) return null;
  const customer = await findCustomer(db, call.customerId);
  if (!customer) return null;
  const next = await advanceRun(db, run, event);
  const actions = await enabledActions(db);
  return follow(
    ctx,
    {
      conversationId: call.conversationId,
      customer,
      actions,
      // The conversation's own priority wins when higher.
      priority: 'low',
      subject: procedure.definition.description,
      emit: () => {},
    },
    next,
    { started: false, now: new Date() },
  );
}

/** The text of a procedure's outcome as the turn streams it. */
export const emitProcedureText = (emit: TurnEventSink, text: string) =>
  emitText(emit, 'procedure', text);
