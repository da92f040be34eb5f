import { randomUUID } from 'node:crypto';
import { replyFor } from '@/lib/actions/as-tool';
import {
  type ActionCall,
  actionDepsOf,
  approveCall,
  cancelCall,
  confirmCall,
  getCall,
  rejectCall,
  runCall,
  type StaffActor,
} from '@/lib/actions/calls';
import { getAction, type StoredAction } from '@/lib/actions/queries';
import { readPath } from '@/lib/actions/template';
import type { AppContext } from '@/lib/context';
import { type Message, recordAiMessage } from '@/lib/conversations/queries';
import { TandemError } from '@/lib/errors';
import { publishConversationEvent, toLiveMessage } from '@/lib/events/conversation-events';
import { continueAfterCall, type ProcedureOutcome } from './procedure-step';

/*
 * What happens after a call of an action waited: the customer confirms or cancels it in the
 * widget, an agent approves or rejects it in the console. Each decision goes through the calls'
 * lifecycle (lib/actions/calls.ts), runs the call when it may now run, and tells the customer the
 * outcome as a message from the assistant, live in their chat and in the transcript.
 */

// The whole app: a procedure carried on after a decision may hand the conversation off.
type Ctx = AppContext;

export interface Decided {
  call: ActionCall;
  /** What the customer was told. */
  message: Message;
}

export const WAITING_FOR_APPROVAL = (summary: string) =>
  `Thanks. A member of our team needs to approve this first: ${summary}. I'll tell you here as soon as they have.`;

/** The customer's answer to a confirmation the widget showed them. */
export async function answerConfirmation(
  ctx: Ctx,
  request: { customerId: string; callId: string; confirmed: boolean },
): Promise<Decided> {
  const deps = actionDepsOf(ctx);
  const who = { customerId: request.customerId };
  if (!request.confirmed) {
    const call = await cancelCall(deps, request.callId, who);
    const procedure = await continueAfterCall(ctx, call, {
      type: 'confirmation',
      confirmed: false,
    });
    if (procedure) return tellProcedure(ctx, call, procedure);
    return tell(ctx, call, `All right, I won't go ahead with that: ${call.summary}.`);
  }
  const call = await confirmCall(deps, request.callId, who);
  if (call.status === 'awaiting_approval')
    return tell(ctx, call, WAITING_FOR_APPROVAL(call.summary));
  return runAndTell(ctx, call);
}

/** An agent's decision on a call waiting for approval. */
export async function decideApproval(
  ctx: Ctx,
  request: { callId: string; agent: StaffActor; approved: boolean; reason?: string },
): Promise<Decided> {
  const deps = actionDepsOf(ctx);
  if (!request.approved) {
    const call = await rejectCall(deps, request.callId, request.agent, request.reason);
    const procedure = await continueAfterCall(ctx, call, {
      type: 'action_result',
      action: call.actionName,
      ok: false,
      error: request.reason ?? 'Our team could not approve this request.',
    });
    if (procedure) return tellProcedure(ctx, call, procedure);
    const why = request.reason ? ` ${request.reason}` : '';
    return tell(ctx, call, `Our team could not approve this request: ${call.summary}.${why}`);
  }
  return runAndTell(ctx, await approveCall(deps, request.callId, request.agent));
}

async function runAndTell(ctx: Ctx, ready: ActionCall): Promise<Decided> {
  const { call, output } = await runCall(actionDepsOf(ctx), ready.id);
  const procedure = await continueAfterCall(
    ctx,
    call,
    call.status === 'completed'
      ? { type: 'action_result', action: call.actionName, ok: true, output }
      : { type: 'action_result', action: call.actionName, ok: false, error: failureText(call) },
  );
  if (procedure) return tellProcedure(ctx, call, procedure);
  const action = await currentAction(ctx, call);
  if (call.status === 'completed') {
    const text = action
      ? replyFor(action, {
          status: 'completed',
          callId: call.id,
          input: call.input,
          result: output,
        })
      : `Done: ${call.summary}.`;
    return tell(ctx, call, text, { status: 'completed', callId: call.id, result: output });
  }
  return tell(ctx, call, failureText(call), { error: call.error });
}

/**
 * Why a call did not go through, for the customer: the service's own explanation when the admin
 * let the bot see it (an allowlisted `error.message` or `message`), else the call's error.
 */
export function failureText(call: Pick<ActionCall, 'response' | 'error' | 'summary'>): string {
  const data = call.response?.data;
  for (const path of ['error.message', 'message', 'error']) {
    const said = readPath(data, path);
    if (typeof said === 'string' && said.trim()) return `That did not go through. ${said.trim()}`;
  }
  return `Sorry, I could not do that (${call.summary}). ${call.error ?? 'The service did not answer.'}`;
}

async function currentAction(ctx: Ctx, call: ActionCall): Promise<StoredAction | null> {
  if (!call.actionId) return null;
  return getAction(ctx.database.db, call.actionId).catch((error: unknown) => {
    if (error instanceof TandemError && error.status === 404) return null;
    throw error;
  });
}

/** The assistant's message telling the customer the outcome, stored and announced live. */
async function tell(
  ctx: Ctx,
  call: ActionCall,
  text: string,
  output: unknown = { status: call.status, callId: call.id },
): Promise<Decided> {
  const message = await recordAiMessage(ctx.database.db, {
    id: randomUUID(),
    conversationId: call.conversationId,
    content: text,
    parts: [{ type: 'text', text }],
    metadata: { tools: [{ tool: call.actionName, input: call.input, output }] },
  });
  void publishConversationEvent(ctx, call.conversationId, {
    type: 'message.created',
    message: toLiveMessage(message),
  });
  return { call, message };
}

/** What the procedure the call belonged to said next, as the outcome's message. */
async function tellProcedure(
  ctx: Ctx,
  call: ActionCall,
  procedure: ProcedureOutcome,
): Promise<Decided> {
  const output = { status: call.status, callId: call.id };
  const message = await recordAiMessage(ctx.database.db, {
    id: randomUUID(),
    conversationId: call.conversationId,
    content: procedure.text,
    parts: [{ type: 'text', text: procedure.text }],
    metadata: {
      ...procedure.metadata,
      tools: [
        { tool: call.actionName, input: call.input, output },
        ...(procedure.metadata.tools ?? []),
      ],
    },
  });
  void publishConversationEvent(ctx, call.conversationId, {
    type: 'message.created',
    message: toLiveMessage(message),
  });
  return { call, message };
}

/** The call as its customer may see it: its state and summary, nothing of the request. */
export async function customerCallState(
  ctx: Ctx,
  request: { customerId: string; callId: string },
): Promise<Pick<ActionCall, 'id' | 'status' | 'summary'>> {
  const call = await getCall(ctx.database.db, request.callId);
  if (call.customerId !== request.customerId) {
    throw new TandemError('not_found:action_call', 'No action call has that id.');
  }
  return { id: call.id, status: call.status, summary: call.summary };
}
