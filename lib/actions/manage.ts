import { z } from 'zod';
import type { Database } from '@/db/client';
import type { ActionCallRequest, ActionCallResponse } from '@/db/schema';
import { invalidInput, TandemError } from '@/lib/errors';
import { type Actor, audit } from '@/lib/privacy/audit';
import { replyFor } from './as-tool';
import type { McpRunner } from './calls';
import { CUSTOMER_ATTRIBUTES, type CustomerAttribute, inputSchemaOf } from './definition';
import { type ActionNetwork, executeHttpAction, fetchJsonDocument } from './http';
import { type ImportableOperation, importOperations, listOperations } from './openapi';
import {
  createAction,
  deleteAction,
  getAction,
  type StoredAction,
  setActionEnabled,
  setActionSecrets,
  updateAction,
} from './queries';

/*
 * What admins do to actions, from the admin pages and the API alike: each change validated,
 * stored and put on the audit trail. Audit entries name the action and which secret headers
 * were given new values, never a value.
 */

export interface ManageDeps {
  db: Database;
  /** The desk's secret, under which secret header values are encrypted. */
  secret: string;
  network: ActionNetwork;
  mcp?: McpRunner;
}

function secretHeadersSet(raw: unknown): string[] {
  const headers = (raw as { http?: { headers?: unknown } })?.http?.headers;
  if (!Array.isArray(headers)) return [];
  return headers
    .filter(
      (h): h is { name: string; value: string; secret: true } =>
        typeof h?.name === 'string' &&
        h.secret === true &&
        typeof h.value === 'string' &&
        h.value !== '',
    )
    .map((h) => h.name);
}

function summaryOf(action: StoredAction) {
  return {
    name: action.name,
    kind: action.kind,
    effect: action.effect,
    enabled: action.enabled,
    verifiedOnly: action.verifiedOnly,
    needsApproval: action.needsApproval,
  };
}

export async function addAction(deps: ManageDeps, actor: Actor, raw: unknown) {
  const action = await createAction(deps.db, deps.secret, raw);
  await audit(
    deps.db,
    actor,
    'action.created',
    { type: 'action', id: action.id },
    {
      ...summaryOf(action),
      secretHeadersSet: secretHeadersSet(raw),
    },
  );
  return action;
}

export async function changeAction(deps: ManageDeps, actor: Actor, id: string, raw: unknown) {
  const action = await updateAction(deps.db, deps.secret, id, raw);
  await audit(
    deps.db,
    actor,
    'action.updated',
    { type: 'action', id },
    {
      ...summaryOf(action),
      secretHeadersSet: secretHeadersSet(raw),
    },
  );
  return action;
}

export async function switchAction(deps: ManageDeps, actor: Actor, id: string, enabled: boolean) {
  const action = await setActionEnabled(deps.db, id, enabled);
  await audit(
    deps.db,
    actor,
    enabled ? 'action.enabled' : 'action.disabled',
    {
      type: 'action',
      id,
    },
    { name: action.name },
  );
  return action;
}

/**
 * Sets secret header values of an action without editing the rest (before testing an imported
 * one, say); the values are write-only and the audit trail names only the headers.
 */
export async function changeActionSecrets(
  deps: ManageDeps,
  actor: Actor,
  id: string,
  values: Record<string, string>,
) {
  const action = await setActionSecrets(deps.db, deps.secret, id, values);
  await audit(
    deps.db,
    actor,
    'action.updated',
    { type: 'action', id },
    { ...summaryOf(action), secretHeadersSet: Object.keys(values) },
  );
  return action;
}

export async function removeAction(deps: ManageDeps, actor: Actor, id: string) {
  const action = await deleteAction(deps.db, id);
  await audit(deps.db, actor, 'action.deleted', { type: 'action', id }, { name: action.name });
}

/** Sample values for a test run: the model's inputs, and who the customer is. */
export const actionSampleSchema = z.object({
  input: z.record(z.string(), z.json()).default({}),
  customer: z
    .object(
      Object.fromEntries(
        CUSTOMER_ATTRIBUTES.map((a) => [a, z.string().trim().max(320).optional()]),
      ) as Record<CustomerAttribute, z.ZodOptional<z.ZodString>>,
    )
    .default({}),
});
export type ActionSample = z.input<typeof actionSampleSchema>;

export interface ActionTestResult {
  ok: boolean;
  /** The request as made, secret header values masked. */
  request: ActionCallRequest | null;
  /** The status and the allowlisted fields: what the bot would see. */
  response: ActionCallResponse | null;
  /** The whole answer, for choosing fields to allow; secrets masked, cut short. */
  raw: { contentType: string | null; text: string; truncated: boolean } | null;
  error: string | null;
  /** How the offline model would word the result. */
  reply: string | null;
}

/**
 * Runs an action with sample values as a customer's call would run, whatever its effect (the
 * admin asked for it) and whether or not it is enabled; nothing is recorded as a call.
 */
export async function testAction(
  deps: ManageDeps,
  actor: Actor,
  id: string,
  sample: ActionSample,
): Promise<ActionTestResult> {
  const action = await getAction(deps.db, id);
  const { input: given, customer } = actionSampleSchema.parse(sample);
  const parsed = inputSchemaOf(action).safeParse(given);
  if (!parsed.success) throw invalidInput('action', parsed.error);
  const input: Record<string, unknown> = { ...parsed.data };
  for (const spec of action.inputs) {
    if (!spec.fromCustomer) continue;
    const value = customer[spec.fromCustomer];
    if (!value) {
      throw new TandemError(
        'bad_request:action',
        `Give a sample customer ${spec.fromCustomer} for the input ${spec.name}.`,
        {
          fields: [
            { field: `customer.${spec.fromCustomer}`, message: 'is needed for this action' },
          ],
        },
      );
    }
    input[spec.name] = value;
  }
  const result = await runSample(deps, action, input, customer);
  await audit(
    deps.db,
    actor,
    'action.tested',
    { type: 'action', id },
    {
      name: action.name,
      ok: result.ok,
      status: result.response?.status ?? null,
    },
  );
  return result;
}

async function runSample(
  deps: ManageDeps,
  action: StoredAction,
  input: Record<string, unknown>,
  customer: Partial<Record<CustomerAttribute, string>>,
): Promise<ActionTestResult> {
  const replyOf = (result: unknown) =>
    replyFor(action, { status: 'completed', callId: 'test', input, result });
  if (action.kind === 'http') {
    const result = await executeHttpAction(
      action,
      { secrets: action.secrets, appSecret: deps.secret },
      { input, customer },
      deps.network,
    );
    const ok = !result.error && Boolean(result.response);
    return {
      ok,
      request: result.request,
      response: result.response ?? null,
      raw: result.raw ?? null,
      error: result.error ?? null,
      reply: ok ? replyOf(result.response?.data) : null,
    };
  }
  if (!deps.mcp) {
    return {
      ok: false,
      request: null,
      response: null,
      raw: null,
      error: 'MCP connectors are not available.',
      reply: null,
    };
  }
  const result = await deps.mcp(action, input);
  return {
    ok: !result.error,
    request: null,
    response: result.error ? null : { status: 200, data: result.data },
    raw: result.raw
      ? {
          contentType: 'application/json',
          text: result.raw,
          truncated: result.raw.length >= 20_000,
        }
      : null,
    error: result.error ?? null,
    reply: result.error ? null : replyOf(result.data),
  };
}

/** Where an OpenAPI document comes from: pasted, or fetched under the actions' address guard. */
export const openApiSourceSchema = z.object({
  url: z.string().trim().max(2000).optional(),
  document: z.record(z.string(), z.unknown()).optional(),
  /** The address to call when the document names none (or a relative one). */
  baseUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://')
    .optional(),
});
export type OpenApiSource = z.output<typeof openApiSourceSchema>;

export async function previewImport(
  deps: Pick<ManageDeps, 'network'>,
  source: OpenApiSource,
): Promise<ImportableOperation[]> {
  if (!source.document && !source.url) {
    throw new TandemError('bad_request:action', 'Give the document or its URL.', {
      fields: [{ field: 'url', message: 'or document is required' }],
    });
  }
  const document = source.document ?? (await fetchJsonDocument(source.url!, deps.network));
  return listOperations(document, { documentUrl: source.url, baseUrl: source.baseUrl });
}

/** Creates the picked operations as actions (turned off until tested and enabled). */
export async function importActions(
  deps: ManageDeps,
  actor: Actor,
  source: OpenApiSource,
  keys: string[],
): Promise<StoredAction[]> {
  const operations = await previewImport(deps, source);
  const created = await importOperations(deps.db, deps.secret, operations, keys);
  await audit(deps.db, actor, 'action.imported', undefined, {
    names: created.map((a) => a.name),
    from: source.url ?? 'pasted document',
  });
  return created;
}
