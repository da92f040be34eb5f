import { and, desc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Database } from '@/db/client';
import {
  type ActionCallRequest,
  type ActionCallResponse,
  actionCalls,
  customers,
} from '@/db/schema';
import type { Cache } from '@/lib/cache/types';
import type { Config } from '@/lib/config';
import type { AppContext } from '@/lib/context';
import { invalidInput, TandemError } from '@/lib/errors';
import { type ConversationEvent, publishConversationEvent } from '@/lib/events/conversation-events';
import { log } from '@/lib/log';
import { type Actor as AuditActor, audit } from '@/lib/privacy/audit';
import { slidingWindowLimit } from '@/lib/rate-limit/sliding-window';
import { emitWebhookEvent } from '@/lib/webhooks/events';
import { type CustomerAttribute, inputSchemaOf, summarizeCall } from './definition';
import { type ActionNetwork, executeHttpAction } from './http';
import { mcpRunnerOf } from './mcp';
import { getAction, type StoredAction } from './queries';

/*
 * An action call's lifecycle. This module is the only writer of `action_calls.status`:
 *
 *   requested ─┬─ write ───────────→ awaiting_confirmation ─confirm─┬→ awaiting_approval ─approve→ ready
 *              ├─ read, approval ──→ awaiting_approval              └→ ready (no approval needed)
 *              └─ read ────────────→ ready ─start→ running ─→ completed | failed
 *   cancel (customer) from awaiting_*; reject (agent) from awaiting_approval.
 *
 * The runtime, not the model, walks it: a write has no path to `ready` except through the
 * customer's confirmation, one needing approval none except through an agent's approval, and
 * `runCall` checks both again, against the action as it is now, before anything is sent.
 */

export type ActionCall = typeof actionCalls.$inferSelect;
export type ActionCallStatus = ActionCall['status'];

export type CallEvent =
  | { type: 'confirm' }
  | { type: 'cancel' }
  | { type: 'approve' }
  | { type: 'reject' }
  | { type: 'start' }
  | { type: 'complete' }
  | { type: 'fail' }
  | { type: 'expire' };

/** Runs a call of an MCP tool (lib/actions/mcp.ts unless a test substitutes one). */
export type McpRunner = (
  action: Extract<StoredAction, { kind: 'mcp' }>,
  input: Record<string, unknown>,
) => Promise<{ data: unknown; error?: string; raw?: string }>;

/** What calls need: narrow, so tests pass a database, a cache and a network allowance. */
export interface ActionDeps {
  db: Database;
  cache: Cache;
  /** The desk's secret: secret header values are encrypted under a key derived from it. */
  secret: string;
  network: ActionNetwork;
  mcp?: McpRunner;
  /** The site user id the business's systems know a stored one by (a test sandbox's copies). */
  siteUserIdOf?: (externalId: string) => string;
}

export function actionNetworkOf(config: Pick<Config, 'kb' | 'actions'>): ActionNetwork {
  return {
    allowPrivateNetworks: config.kb.allowPrivateUrls,
    allowedHosts: config.actions.allowedHosts,
  };
}

/** The network an app's actions use: with its own routes answered in-process where it has them. */
export function appActionNetwork(ctx: Pick<AppContext, 'config' | 'sandbox'>): ActionNetwork {
  const network = actionNetworkOf(ctx.config);
  const serve = ctx.sandbox?.serveOwnRequest;
  if (!serve) return network;
  return { ...network, ownOrigin: { origin: new URL(ctx.config.deskUrl).origin, serve } };
}

export function actionDepsOf(
  ctx: Pick<AppContext, 'database' | 'cache' | 'secret' | 'config' | 'sandbox'>,
  mcp?: McpRunner,
): ActionDeps {
  const db = ctx.database.db;
  const network = appActionNetwork(ctx);
  return {
    db,
    cache: ctx.cache,
    secret: ctx.secret,
    network,
    mcp: mcp ?? mcpRunnerOf({ db, secret: ctx.secret, network }),
    siteUserIdOf: ctx.sandbox?.siteUserIdOf,
  };
}

/*
 * A call waiting for someone lapses: the customer has 30 minutes to confirm a write (the
 * conversation has moved on by then), an agent 24 hours to approve. Once lapsed it is `expired`
 * at its next touch (or by `expireStaleCalls`) and can never run.
 */
export const CONFIRMATION_EXPIRES_MS = 30 * 60 * 1000;
export const APPROVAL_EXPIRES_MS = 24 * 60 * 60 * 1000;

function expiryFor(status: ActionCallStatus, now: Date): Date | null {
  if (status === 'awaiting_confirmation') {
    return new Date(now.getTime() + CONFIRMATION_EXPIRES_MS);
  }
  if (status === 'awaiting_approval') return new Date(now.getTime() + APPROVAL_EXPIRES_MS);
  return null;
}

/** Whether a call still waiting has passed its time. Pure. */
export function hasExpired(
  call: Pick<ActionCall, 'status' | 'expiresAt'>,
  now: Date = new Date(),
): boolean {
  return (
    (call.status === 'awaiting_confirmation' || call.status === 'awaiting_approval') &&
    call.expiresAt !== null &&
    call.expiresAt.getTime() <= now.getTime()
  );
}

/** The status a new call starts in, from the action's policy alone. */
export function initialStatus(
  action: Pick<StoredAction, 'effect' | 'needsApproval'>,
): ActionCallStatus {
  if (action.effect === 'write') return 'awaiting_confirmation';
  return action.needsApproval ? 'awaiting_approval' : 'ready';
}

/** The status `event` leads to, or null when it may not happen now. Pure. */
export function nextCallStatus(
  status: ActionCallStatus,
  event: CallEvent,
  policy: Pick<StoredAction, 'needsApproval'>,
): ActionCallStatus | null {
  switch (event.type) {
    case 'confirm':
      if (status !== 'awaiting_confirmation') return null;
      return policy.needsApproval ? 'awaiting_approval' : 'ready';
    case 'cancel':
      return status === 'awaiting_confirmation' || status === 'awaiting_approval'
        ? 'cancelled'
        : null;
    case 'approve':
      return status === 'awaiting_approval' ? 'ready' : null;
    case 'reject':
      return status === 'awaiting_approval' ? 'rejected' : null;
    case 'start':
      return status === 'ready' ? 'running' : null;
    case 'complete':
      return status === 'running' ? 'completed' : null;
    case 'fail':
      return status === 'running' || status === 'ready' ? 'failed' : null;
    case 'expire':
      return status === 'awaiting_confirmation' || status === 'awaiting_approval'
        ? 'expired'
        : null;
  }
}

/** Who moved a call: the customer it is for, a member of staff, or Tandem itself. */
export type CallActor =
  | { type: 'customer'; customerId: string }
  | { type: 'staff'; id: string; name: string; role: 'agent' | 'admin' }
  | { type: 'system' };

interface Transition {
  event: CallEvent;
  actor: CallActor;
  set?: Partial<typeof actionCalls.$inferInsert>;
}

const AUDIT_ACTION: Record<CallEvent['type'], string> = {
  confirm: 'action_call.confirmed',
  cancel: 'action_call.cancelled',
  approve: 'action_call.approved',
  reject: 'action_call.rejected',
  start: 'action_call.started',
  complete: 'action_call.completed',
  fail: 'action_call.failed',
  expire: 'action_call.expired',
};

function auditActorOf(actor: CallActor): AuditActor {
  if (actor.type === 'staff') return { type: 'staff', id: actor.id, name: actor.name };
  return { type: 'system', name: actor.type === 'customer' ? 'Customer' : 'Tandem' };
}

/**
 * Moves one call inside `tx`: the row locked, the move checked, one conditional UPDATE, then its
 * audit entry and (once it ran) its `action.executed` webhook. The live event is returned to be
 * published after commit.
 */
async function transitionCall(
  tx: Database,
  callId: string,
  { event, actor, set = {} }: Transition,
  policy: Pick<StoredAction, 'needsApproval'>,
): Promise<{ call: ActionCall; live: ConversationEvent; expired?: boolean }> {
  const [current] = await tx
    .select()
    .from(actionCalls)
    .where(eq(actionCalls.id, callId))
    .for('update');
  if (!current) throw new TandemError('not_found:action_call', 'No action call has that id.');
  if (actor.type === 'customer' && current.customerId !== actor.customerId) {
    // Another customer's call does not exist as far as this one can tell.
    throw new TandemError('not_found:action_call', 'No action call has that id.');
  }
  if (event.type !== 'expire' && hasExpired(current)) {
    // Lapsed while waiting: it ends now, whatever was asked, and the caller is told so.
    const lapsed = await transitionCall(
      tx,
      callId,
      { event: { type: 'expire' }, actor: { type: 'system' }, set: expiredSet(current) },
      policy,
    );
    return { ...lapsed, expired: true };
  }
  const next = nextCallStatus(current.status, event, policy);
  if (!next) {
    throw new TandemError(
      'conflict:action_call',
      `This call is ${current.status.replace(/_/g, ' ')}; it cannot be ${pastTense(event)} now.`,
      { status: current.status },
    );
  }
  const [call] = await tx
    .update(actionCalls)
    .set({ ...set, status: next, expiresAt: expiryFor(next, new Date()) })
    .where(and(eq(actionCalls.id, callId), eq(actionCalls.status, current.status)))
    .returning();
  if (!call) throw new TandemError('conflict:action_call', 'The call changed meanwhile.');
  await audit(
    tx,
    auditActorOf(actor),
    AUDIT_ACTION[event.type],
    { type: 'action_call', id: call.id },
    { action: call.actionName, conversationId: call.conversationId, status: next },
  );
  if (next === 'completed' || next === 'failed') {
    await emitWebhookEvent(tx, 'action.executed', executedEventData(call));
  }
  return { call, live: { type: 'action_call.updated', callId: call.id, status: next } };
}

function pastTense(event: CallEvent): string {
  const words: Record<CallEvent['type'], string> = {
    confirm: 'confirmed',
    cancel: 'cancelled',
    approve: 'approved',
    reject: 'rejected',
    start: 'started',
    complete: 'completed',
    fail: 'failed',
    expire: 'expired',
  };
  return words[event.type];
}

/** What a webhook receiver learns of a call: never the request (its headers hold credentials). */
export function executedEventData(call: ActionCall) {
  return {
    action_call: {
      id: call.id,
      action: call.actionName,
      conversation_id: call.conversationId,
      customer_id: call.customerId,
      status: call.status,
      input: call.input,
      response_status: call.response?.status ?? null,
      output: call.response?.data ?? null,
      error: call.error,
      finished_at: call.finishedAt?.toISOString() ?? null,
    },
  };
}

function expiredSet(call: Pick<ActionCall, 'status'>): Transition['set'] {
  return {
    finishedAt: new Date(),
    error:
      call.status === 'awaiting_confirmation'
        ? 'It was not confirmed in time; ask again if it is still wanted.'
        : 'No one approved it in time; ask again if it is still wanted.',
  };
}

async function applyCall(
  deps: Pick<ActionDeps, 'db' | 'cache'>,
  callId: string,
  transition: Transition,
  policy: Pick<StoredAction, 'needsApproval'>,
): Promise<ActionCall> {
  const { call, live, expired } = await deps.db.transaction((tx) =>
    transitionCall(tx, callId, transition, policy),
  );
  void publishConversationEvent(deps, call.conversationId, live);
  if (expired) {
    throw new TandemError(
      'conflict:action_call',
      `This request expired; it cannot be ${pastTense(transition.event)} now.`,
      { status: call.status },
    );
  }
  return call;
}

/** Ends every call whose wait has lapsed; returns how many. Safe to run on any instance. */
export async function expireStaleCalls(
  deps: Pick<ActionDeps, 'db' | 'cache'>,
  now: Date = new Date(),
): Promise<number> {
  const stale = await deps.db
    .select({ id: actionCalls.id, status: actionCalls.status })
    .from(actionCalls)
    .where(
      and(
        inArray(actionCalls.status, ['awaiting_confirmation', 'awaiting_approval']),
        lte(actionCalls.expiresAt, now),
      ),
    );
  let expired = 0;
  for (const call of stale) {
    const done = await applyCall(
      deps,
      call.id,
      { event: { type: 'expire' }, actor: { type: 'system' }, set: expiredSet(call) },
      { needsApproval: false },
    ).catch((error: unknown) => {
      // Moved meanwhile (confirmed, cancelled): nothing left to expire.
      if (error instanceof TandemError && error.status === 409) return null;
      throw error;
    });
    if (done) expired++;
  }
  return expired;
}

async function policyOf(db: Database, call: Pick<ActionCall, 'actionId'>) {
  if (!call.actionId) return null;
  return getAction(db, call.actionId).catch((error: unknown) => {
    if (error instanceof TandemError && error.status === 404) return null;
    throw error;
  });
}

export async function getCall(db: Database, callId: string): Promise<ActionCall> {
  const [call] = await db.select().from(actionCalls).where(eq(actionCalls.id, callId));
  if (!call) throw new TandemError('not_found:action_call', 'No action call has that id.');
  return call;
}

export interface CallRequest {
  action: StoredAction;
  conversationId: string;
  customerId: string;
  /** The model's (or a procedure's) input; anything not a model-visible input is dropped. */
  input: Record<string, unknown>;
}

/**
 * Records a call for a customer and puts it where its policy says: waiting for the customer's
 * confirmation (every write), for an agent's approval, or ready to run. Refused over the
 * action's hourly limit for this customer, for a disabled action, and for an invalid input.
 */
export async function requestCall(deps: ActionDeps, request: CallRequest): Promise<ActionCall> {
  const { action, conversationId, customerId } = request;
  if (!action.enabled) {
    throw new TandemError('forbidden:action', `The action ${action.name} is turned off.`);
  }
  const parsed = inputSchemaOf(action).safeParse(request.input);
  if (!parsed.success) throw invalidInput('action', parsed.error);
  if (action.rateLimitPerHour > 0) {
    const limit = await slidingWindowLimit(
      deps.cache,
      `action:${action.id}:${customerId}`,
      action.rateLimitPerHour,
      { windowSeconds: 3600 },
    );
    if (!limit.allowed) {
      throw new TandemError(
        'rate_limited:action',
        `That has been done too many times in the last hour; please try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`,
        undefined,
        { 'retry-after': String(limit.retryAfterSeconds) },
      );
    }
  }
  const input = parsed.data as Record<string, unknown>;
  const status = initialStatus(action);
  const call = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(actionCalls)
      .values({
        actionId: action.id,
        actionName: action.name,
        conversationId,
        customerId,
        input,
        summary: summarizeCall(action, input),
        status,
        expiresAt: expiryFor(status, new Date()),
      })
      .returning();
    await audit(
      tx,
      { type: 'system', name: 'Tandem' },
      'action_call.requested',
      { type: 'action_call', id: row!.id },
      { action: action.name, conversationId, status },
    );
    return row!;
  });
  void publishConversationEvent(deps, conversationId, {
    type: 'action_call.updated',
    callId: call.id,
    status,
  });
  return call;
}

/** The customer says yes: the call is ready to run, or waits for an agent's approval. */
export async function confirmCall(
  deps: Pick<ActionDeps, 'db' | 'cache'>,
  callId: string,
  { customerId }: { customerId: string },
): Promise<ActionCall> {
  const action = await policyOf(deps.db, await getCall(deps.db, callId));
  return applyCall(
    deps,
    callId,
    {
      event: { type: 'confirm' },
      actor: { type: 'customer', customerId },
      set: { confirmedAt: new Date() },
    },
    { needsApproval: action?.needsApproval ?? true },
  );
}

/** The customer changed their mind before it ran. */
export function cancelCall(
  deps: Pick<ActionDeps, 'db' | 'cache'>,
  callId: string,
  { customerId }: { customerId: string },
): Promise<ActionCall> {
  return applyCall(
    deps,
    callId,
    {
      event: { type: 'cancel' },
      actor: { type: 'customer', customerId },
      set: { finishedAt: new Date() },
    },
    { needsApproval: false },
  );
}

export type StaffActor = Extract<CallActor, { type: 'staff' }>;

export function approveCall(
  deps: Pick<ActionDeps, 'db' | 'cache'>,
  callId: string,
  agent: StaffActor,
): Promise<ActionCall> {
  return applyCall(
    deps,
    callId,
    {
      event: { type: 'approve' },
      actor: agent,
      set: { decidedById: agent.id, decidedAt: new Date() },
    },
    { needsApproval: true },
  );
}

export function rejectCall(
  deps: Pick<ActionDeps, 'db' | 'cache'>,
  callId: string,
  agent: StaffActor,
  reason?: string,
): Promise<ActionCall> {
  const now = new Date();
  return applyCall(
    deps,
    callId,
    {
      event: { type: 'reject' },
      actor: agent,
      set: { decidedById: agent.id, decidedAt: now, finishedAt: now, error: reason ?? null },
    },
    { needsApproval: true },
  );
}

export function completeCall(
  deps: Pick<ActionDeps, 'db' | 'cache'>,
  callId: string,
  outcome: { request: ActionCallRequest | null; response: ActionCallResponse },
): Promise<ActionCall> {
  return applyCall(
    deps,
    callId,
    {
      event: { type: 'complete' },
      actor: { type: 'system' },
      set: { ...outcome, finishedAt: new Date() },
    },
    { needsApproval: false },
  );
}

export function failCall(
  deps: Pick<ActionDeps, 'db' | 'cache'>,
  callId: string,
  outcome: {
    error: string;
    request?: ActionCallRequest | null;
    response?: ActionCallResponse | null;
  },
): Promise<ActionCall> {
  return applyCall(
    deps,
    callId,
    {
      event: { type: 'fail' },
      actor: { type: 'system' },
      set: {
        error: outcome.error,
        request: outcome.request ?? null,
        response: outcome.response ?? null,
        finishedAt: new Date(),
      },
    },
    { needsApproval: false },
  );
}

/** Why a ready call may still not run: the action as it is now asks for more than the call had. */
export function runRefusal(
  call: Pick<ActionCall, 'status' | 'confirmedAt' | 'decidedAt' | 'decidedById'>,
  action: Pick<StoredAction, 'effect' | 'needsApproval' | 'enabled'> | null,
): string | null {
  if (call.status !== 'ready')
    return `The call is ${call.status.replace(/_/g, ' ')}, not ready to run.`;
  if (!action) return 'The action no longer exists.';
  if (!action.enabled) return 'The action is turned off.';
  if (action.effect === 'write' && !call.confirmedAt) {
    return 'A write runs only once the customer has confirmed it.';
  }
  if (action.needsApproval && !(call.decidedAt && call.decidedById)) {
    return 'This action runs only once an agent has approved it.';
  }
  return null;
}

/** The customer's attributes templates may use, from the stored customer, never from text. */
async function identityOf(
  db: Database,
  customerId: string,
  siteUserIdOf: (externalId: string) => string = (id) => id,
): Promise<Record<CustomerAttribute, string | null>> {
  const [customer] = await db
    .select({
      id: customers.id,
      externalId: customers.externalId,
      email: customers.email,
      name: customers.name,
    })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!customer) throw new TandemError('not_found:customer', 'The customer no longer exists.');
  return {
    id: customer.id,
    site_user_id: customer.externalId === null ? null : siteUserIdOf(customer.externalId),
    email: customer.email,
    name: customer.name,
  };
}

export interface RunResult {
  call: ActionCall;
  /** The allowlisted answer when the call completed. */
  output?: unknown;
}

/**
 * Runs a ready call once: claims it (ready → running, so a second caller finds it taken),
 * checks the policy against the action as it is now, fills identity-bound inputs from the
 * stored customer, makes the request and records the outcome. A call that may not run yet is
 * refused with `conflict:action_call` and left as it was.
 */
export async function runCall(deps: ActionDeps, callId: string): Promise<RunResult> {
  const call = await getCall(deps.db, callId);
  const action = await policyOf(deps.db, call);
  const refusal = runRefusal(call, action);
  if (refusal) {
    // Ready but no longer allowed (the action went or was turned off): it ends, failed.
    if (call.status === 'ready' && !action?.enabled) {
      return { call: await failCall(deps, call.id, { error: refusal }) };
    }
    throw new TandemError('conflict:action_call', refusal, { status: call.status });
  }
  const started = await applyCall(
    deps,
    callId,
    { event: { type: 'start' }, actor: { type: 'system' }, set: { startedAt: new Date() } },
    { needsApproval: false },
  );
  const live = action!;
  try {
    const customer = await identityOf(deps.db, started.customerId, deps.siteUserIdOf);
    const identityInputs: Record<string, unknown> = {};
    for (const input of live.inputs) {
      if (!input.fromCustomer) continue;
      const value = customer[input.fromCustomer];
      if (!value) {
        return {
          call: await failCall(deps, callId, { error: missingIdentity(input.fromCustomer) }),
        };
      }
      identityInputs[input.name] = value;
    }
    if (live.verifiedOnly && !customer.site_user_id) {
      return { call: await failCall(deps, callId, { error: missingIdentity('site_user_id') }) };
    }
    // Identity-bound values come last: nothing in the stored input can stand in for them.
    const input = { ...started.input, ...identityInputs };
    if (live.kind === 'http') {
      const result = await executeHttpAction(
        live,
        { secrets: live.secrets, appSecret: deps.secret },
        { input, customer },
        deps.network,
      );
      if (result.error || !result.response) {
        return {
          call: await failCall(deps, callId, {
            error: result.error ?? 'The service did not answer.',
            request: result.request,
            response: result.response,
          }),
        };
      }
      const done = await completeCall(deps, callId, {
        request: result.request,
        response: result.response,
      });
      return { call: done, output: result.response.data };
    }
    if (!deps.mcp) {
      return { call: await failCall(deps, callId, { error: 'MCP connectors are not available.' }) };
    }
    const result = await deps.mcp(live, input);
    if (result.error) {
      return { call: await failCall(deps, callId, { error: result.error }) };
    }
    const done = await completeCall(deps, callId, {
      request: null,
      response: { status: 200, data: result.data },
    });
    return { call: done, output: result.data };
  } catch (error) {
    log.error({ err: error, callId, action: call.actionName }, 'action call failed');
    const message =
      error instanceof TandemError && error.status < 500
        ? error.message
        : 'The action failed on our side.';
    return { call: await failCall(deps, callId, { error: message }) };
  }
}

function missingIdentity(attribute: CustomerAttribute): string {
  return attribute === 'site_user_id'
    ? 'This needs you to be signed in on the website.'
    : `This needs your ${attribute.replace('_', ' ')} on file.`;
}

/** A conversation's calls, newest first, for the console's context panel. */
export function listConversationCalls(db: Database, conversationId: string) {
  return db
    .select()
    .from(actionCalls)
    .where(eq(actionCalls.conversationId, conversationId))
    .orderBy(desc(actionCalls.createdAt));
}

/** Calls waiting for an agent's decision and not lapsed, oldest first. */
export function listCallsAwaitingApproval(db: Database, limit = 100) {
  return db
    .select()
    .from(actionCalls)
    .where(
      and(
        eq(actionCalls.status, 'awaiting_approval'),
        or(isNull(actionCalls.expiresAt), gt(actionCalls.expiresAt, new Date())),
      ),
    )
    .orderBy(actionCalls.createdAt)
    .limit(limit);
}
