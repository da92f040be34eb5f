import { z } from 'zod';
import type { Database } from '@/db/client';
import {
  type ActionDefinitionInput,
  CUSTOMER_ATTRIBUTES,
  HTTP_METHODS,
} from '@/lib/actions/definition';
import {
  findActionByName,
  getAction,
  type PresentedAction,
  presentAction,
  type StoredAction,
} from '@/lib/actions/queries';
import { type FieldProblem, TandemError } from '@/lib/errors';

/*
 * Actions as the public API shows and takes them: the same definition as the admin pages, with
 * snake_case field names like the rest of /api/v1. A secret header's value may be sent and is
 * never returned; the JSON body template is the caller's own JSON and is passed through as is.
 */

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function renameKeys(value: unknown, rename: (key: string) => string, path = ''): unknown {
  // The body template is the caller's JSON, sent as written; argument names are the tool's own.
  if (path === 'http.body' || path === 'mcp.argument_names' || path === 'mcp.argumentNames') {
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename, `${path}[]`));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        const renamed = rename(key);
        return [renamed, renameKeys(v, rename, path ? `${path}.${renamed}` : renamed)];
      }),
    );
  }
  return value instanceof Date ? value.toISOString() : value;
}

export function actionJson(action: StoredAction) {
  return renameKeys(presentAction(action), snake) as Record<string, unknown> & {
    id: PresentedAction['id'];
  };
}

/** The caller's definition in the domain's field names, to be validated there. */
export function definitionFromApi(body: z.output<typeof apiActionBody>): ActionDefinitionInput {
  return renameKeys(body, camel) as ActionDefinitionInput;
}

/** A validation failure from the domain, with its fields named as the caller wrote them. */
export function withApiFieldNames(error: unknown): unknown {
  if (!(error instanceof TandemError)) return error;
  const details = error.details as { fields?: FieldProblem[] } | undefined;
  if (!details?.fields) return error;
  const fields = details.fields.map((f) => ({
    ...f,
    field: f.field.split('.').map(snake).join('.'),
  }));
  return new TandemError(
    error.code,
    `Invalid request. ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    { ...details, fields },
  );
}

/** An action by its id or its name. */
export async function actionByIdOrName(db: Database, idOrName: string): Promise<StoredAction> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName)) {
    return getAction(db, idOrName);
  }
  const found = await findActionByName(db, idOrName);
  if (!found) throw new TandemError('not_found:action', 'No action has that id or name.');
  return found;
}

// The shape for documentation and a first check; the domain validates every rule again.
const apiInput = z.object({
  name: z.string().describe('Lower-case letters, digits and _.'),
  type: z.enum(['string', 'number', 'boolean', 'enum']),
  description: z.string().optional(),
  required: z.boolean().optional(),
  pattern: z.string().optional().describe('The whole value must match (a regular expression).'),
  choices: z.array(z.string()).optional(),
  from_customer: z
    .enum(CUSTOMER_ATTRIBUTES)
    .optional()
    .describe('Filled from the verified customer, never by the model.'),
});

const apiHeader = z.object({
  name: z.string(),
  value: z.string().optional().describe('Write-only when secret; omit to keep the stored value.'),
  secret: z.boolean().optional(),
});

const common = {
  name: z.string().describe('The tool name: ^[a-z][a-z0-9_]{1,47}$.'),
  label: z.string(),
  description: z.string().describe('What the model is told the action is for.'),
  inputs: z.array(apiInput).optional(),
  effect: z.enum(['read', 'write']).describe('Every write asks the customer to confirm.'),
  verified_only: z.boolean().optional(),
  needs_approval: z.boolean().optional(),
  rate_limit_per_hour: z.number().int().optional(),
  examples: z.array(z.string()).optional(),
  reply_template: z.string().optional(),
  enabled: z.boolean().optional(),
};

export const apiActionBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('http'),
    ...common,
    http: z.object({
      method: z.enum(HTTP_METHODS),
      url: z.string().describe('May use {input.x} and {customer.site_user_id|email|name|id}.'),
      headers: z.array(apiHeader).optional(),
      // Checked as JSON by the domain; described loosely, as a recursive schema would not embed.
      body: z.unknown().optional(),
      response_fields: z
        .array(z.string())
        .optional()
        .describe('JSON paths the bot may see, e.g. order.status or items[].name.'),
      timeout_ms: z.number().int().optional(),
      max_bytes: z.number().int().optional(),
    }),
  }),
  z.object({
    kind: z.literal('mcp'),
    ...common,
    mcp: z.object({
      connector_id: z.string().describe('An MCP connector of /api/v1/connectors.'),
      tool: z.string().describe('The tool name on its server.'),
      response_fields: z
        .array(z.string())
        .optional()
        .describe('Paths of the tool result the bot may see, e.g. order.status.'),
      argument_names: z
        .record(z.string(), z.string())
        .optional()
        .describe("An input's argument name on the tool, where it differs."),
    }),
  }),
]);

export const apiActionSwitchBody = z.object({ enabled: z.boolean() });

export const apiActionImportBody = z.object({
  url: z.string().optional().describe('Where to fetch the OpenAPI 3 JSON document.'),
  document: z.record(z.string(), z.unknown()).optional().describe('The document itself.'),
  base_url: z.string().optional().describe('The address to call when the document names none.'),
  operations: z
    .array(z.string())
    .min(1)
    .max(200)
    .describe('Operations to create, as "METHOD /path" of the document.'),
});
