import { z } from 'zod';
import { invalidInput } from '@/lib/errors';

/*
 * An admin-defined action: what the model is told, the typed inputs it may fill, how the call is
 * made (an HTTP request, or a tool on an MCP server) and the policies the runtime enforces
 * whatever the model says. Stored as data in the `actions` table; this module only validates.
 */

export const ACTION_NAME = /^[a-z][a-z0-9_]{1,47}$/;
export const INPUT_NAME = /^[a-z][a-z0-9_]{0,39}$/;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** What a verified customer's identity offers to templates and identity-bound inputs. */
export const CUSTOMER_ATTRIBUTES = ['site_user_id', 'email', 'name', 'id'] as const;
export type CustomerAttribute = (typeof CUSTOMER_ATTRIBUTES)[number];

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 256 * 1024;
export const MAX_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_RATE_LIMIT_PER_HOUR = 60;

/** `order.status`, `items[].name`, `[].id`: keys separated by dots, `[]` for every array item. */
export const RESPONSE_PATH = /^(?:\[\]|[A-Za-z0-9_$-]+(?:\[\])?)(?:\.[A-Za-z0-9_$-]+(?:\[\])?)*$/;

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
/** What HTTP lets a header value hold: tabs and printable Latin-1, no line breaks. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// Never sent as a configured header: the runtime sets them, or they would let a request smuggle.
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'proxy-authorization',
]);

export function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const actionInputSchema = z
  .object({
    name: z.string().regex(INPUT_NAME, 'must be lower-case letters, digits and _'),
    type: z.enum(['string', 'number', 'boolean', 'enum']),
    /** What the model (and the admin form) is told the input is. */
    description: z.string().trim().max(500).default(''),
    required: z.boolean().default(true),
    /** For strings: the whole value must match; the offline model also finds values by it. */
    pattern: z.string().max(200).refine(isRegExp, 'must be a valid regular expression').optional(),
    choices: z.array(z.string().trim().min(1).max(100)).min(1).max(50).optional(),
    /**
     * Filled from the verified customer at run time and never offered to the model, so neither
     * the model nor the customer's text can name another customer.
     */
    fromCustomer: z.enum(CUSTOMER_ATTRIBUTES).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.type === 'enum' && !input.choices) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'an enum input needs choices' });
    }
    if (input.pattern && input.type !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'only string inputs have one' });
    }
  });
export type ActionInput = z.output<typeof actionInputSchema>;

export const actionHeaderSchema = z.object({
  name: z
    .string()
    .regex(HEADER_NAME, 'must be a valid header name')
    .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is set by Tandem itself'),
  /**
   * For a plain header its template; for a secret one the new value, or absent to keep the
   * stored one. A secret value is never read back.
   */
  value: z
    .string()
    .max(4000)
    .regex(HEADER_VALUE, 'may hold no line breaks or control characters')
    .optional(),
  secret: z.boolean().default(false),
});
export type ActionHeader = z.output<typeof actionHeaderSchema>;

export const httpConfigSchema = z.object({
  method: z.enum(HTTP_METHODS),
  /** May use `{input.x}` and `{customer.x}`; values are URL-encoded. */
  url: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://'),
  headers: z.array(actionHeaderSchema).max(30).default([]),
  /** A JSON value whose strings may hold placeholders; a string that is only one keeps its type. */
  body: z.json().nullable().default(null),
  /** The only parts of the response the bot, the transcript and the webhooks ever see. */
  responseFields: z
    .array(
      z.string().trim().regex(RESPONSE_PATH, 'must be a path like order.status or items[].name'),
    )
    .max(50)
    .default([]),
  timeoutMs: z.number().int().min(100).max(MAX_TIMEOUT_MS).default(DEFAULT_TIMEOUT_MS),
  maxBytes: z.number().int().min(1).max(MAX_MAX_BYTES).default(DEFAULT_MAX_BYTES),
});
export type HttpConfig = z.output<typeof httpConfigSchema>;

export const mcpConfigSchema = z.object({
  connectorId: z.uuid(),
  tool: z.string().trim().min(1).max(200),
  /** The only parts of the tool's result the bot, the transcript and the webhooks ever see. */
  responseFields: z
    .array(
      z.string().trim().regex(RESPONSE_PATH, 'must be a path like order.status or items[].name'),
    )
    .max(50)
    .default([]),
  /** An input's name on the tool when it differs (`order_id` → `orderId`). */
  argumentNames: z.record(z.string().regex(INPUT_NAME), z.string().min(1).max(200)).default({}),
});
export type McpConfig = z.output<typeof mcpConfigSchema>;

/** A header an MCP connector sends; a secret one holds no value once stored. */
export type McpConnectorHeader = { name: string; secret: boolean; value?: string };

export const MCP_CONNECTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,59}$/;

/** An MCP server reached over Streamable HTTP; its secret header values are write-only. */
export const mcpConnectorSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(MCP_CONNECTOR_NAME, 'must be 1–60 letters, digits, spaces, . _ or -'),
    url: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .refine((url) => /^https?:\/\/[^/?#\s]+/i.test(url) && URL.canParse(url), {
        message: 'must be an http:// or https:// address',
      }),
    headers: z.array(actionHeaderSchema).max(30).default([]),
    timeoutMs: z.number().int().min(100).max(MAX_TIMEOUT_MS).default(DEFAULT_TIMEOUT_MS),
    maxBytes: z.number().int().min(1).max(MAX_MAX_BYTES).default(DEFAULT_MAX_BYTES),
  })
  .superRefine((connector, ctx) => {
    const seen = new Set<string>();
    connector.headers.forEach((header, i) => {
      const lower = header.name.toLowerCase();
      if (seen.has(lower)) {
        ctx.addIssue({ code: 'custom', path: ['headers', i, 'name'], message: 'is used twice' });
      }
      seen.add(lower);
      // The client sets these for the protocol; a configured value would break the session.
      if (/^(mcp-session-id|mcp-protocol-version|content-type|accept|last-event-id)$/.test(lower)) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', i, 'name'],
          message: 'is set by the MCP client itself',
        });
      }
      if (!header.secret && placeholdersIn(header.value ?? '').length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', i, 'value'],
          message: 'a connector header is sent as written, without placeholders',
        });
      }
    });
  });
export type McpConnectorInput = z.input<typeof mcpConnectorSchema>;
export type McpConnectorDefinition = z.output<typeof mcpConnectorSchema>;

const baseFields = {
  name: z
    .string()
    .regex(ACTION_NAME, 'must be 2–48 lower-case letters, digits and _, from a letter'),
  /** Its name for people: the console, the confirmation control, the approval queue ("Cancel an order"). */
  label: z.string().trim().min(1).max(120),
  /** What the model is told the action is for. */
  description: z.string().trim().min(1).max(2000),
  inputs: z.array(actionInputSchema).max(30).default([]),
  effect: z.enum(['read', 'write']),
  verifiedOnly: z.boolean().default(true),
  needsApproval: z.boolean().default(false),
  /** Calls per customer per hour; 0 means no limit. */
  rateLimitPerHour: z.number().int().min(0).max(100_000).default(DEFAULT_RATE_LIMIT_PER_HOUR),
  /** Phrasings of a clear request, for the offline model. */
  examples: z.array(z.string().trim().min(1).max(300)).max(30).default([]),
  /** How the offline model words a result: `{result.path}` and `{input.x}` placeholders. */
  replyTemplate: z.string().trim().max(2000).default(''),
  enabled: z.boolean().default(false),
};

export const actionDefinitionSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('http'), ...baseFields, http: httpConfigSchema }),
    z.object({ kind: z.literal('mcp'), ...baseFields, mcp: mcpConfigSchema }),
  ])
  .superRefine((action, ctx) => checkReferences(action, ctx));

export type ActionDefinitionInput = z.input<typeof actionDefinitionSchema>;
export type ActionDefinition = z.output<typeof actionDefinitionSchema>;
export type HttpActionDefinition = Extract<ActionDefinition, { kind: 'http' }>;

const PLACEHOLDER = /\{(input|customer|result)\.([^{}\s]+)\}/g;

/** Every `{scope.name}` placeholder in a string, or in the strings of a JSON value. */
export function placeholdersIn(value: unknown): { scope: string; name: string }[] {
  if (typeof value === 'string') {
    return Array.from(value.matchAll(PLACEHOLDER), (m) => ({ scope: m[1]!, name: m[2]! }));
  }
  if (Array.isArray(value)) return value.flatMap(placeholdersIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => [
      ...placeholdersIn(key),
      ...placeholdersIn(v),
    ]);
  }
  return [];
}

/** Whether the action reads who the customer is (a template or an identity-bound input). */
export function usesCustomerIdentity(action: ActionDefinition): boolean {
  if (action.inputs.some((input) => input.fromCustomer)) return true;
  if (action.kind !== 'http') return false;
  const { url, headers, body } = action.http;
  return placeholdersIn([url, headers.map((h) => (h.secret ? '' : h.value)), body]).some(
    (p) => p.scope === 'customer',
  );
}

/** The inputs the model fills: everything not taken from the verified customer. */
export function modelInputs(action: Pick<ActionDefinition, 'inputs'>): ActionInput[] {
  return action.inputs.filter((input) => !input.fromCustomer);
}

function checkReferences(action: ActionDefinition, ctx: z.RefinementCtx) {
  const names = new Set<string>();
  action.inputs.forEach((input, i) => {
    if (names.has(input.name)) {
      ctx.addIssue({ code: 'custom', path: ['inputs', i, 'name'], message: 'is used twice' });
    }
    names.add(input.name);
  });
  const checkTemplate = (value: unknown, path: (string | number)[], allowResult = false) => {
    for (const { scope, name } of placeholdersIn(value)) {
      const known =
        scope === 'input'
          ? names.has(name)
          : scope === 'customer'
            ? (CUSTOMER_ATTRIBUTES as readonly string[]).includes(name)
            : allowResult;
      if (!known) {
        ctx.addIssue({ code: 'custom', path, message: `{${scope}.${name}} is not known here` });
      }
    }
  };
  if (action.kind === 'http') {
    checkTemplate(action.http.url, ['http', 'url']);
    // Where a request goes is the admin's choice alone: a value may fill the path or the query.
    const authority = /^https?:\/\/([^/?#]*)/i.exec(action.http.url)?.[1] ?? '';
    if (placeholdersIn(authority).length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['http', 'url'],
        message: 'the host cannot be a placeholder',
      });
    }
    checkTemplate(action.http.body, ['http', 'body']);
    const headerNames = new Set<string>();
    action.http.headers.forEach((header, i) => {
      const lower = header.name.toLowerCase();
      if (headerNames.has(lower)) {
        ctx.addIssue({
          code: 'custom',
          path: ['http', 'headers', i, 'name'],
          message: 'is used twice',
        });
      }
      headerNames.add(lower);
      // A secret is sent as given: a template in it could mix customer text into a credential.
      if (!header.secret) checkTemplate(header.value, ['http', 'headers', i, 'value']);
    });
    if (action.http.body !== null && action.http.method === 'GET') {
      ctx.addIssue({
        code: 'custom',
        path: ['http', 'body'],
        message: 'a GET request has no body',
      });
    }
  }
  if (action.kind === 'mcp') {
    for (const name of Object.keys(action.mcp.argumentNames)) {
      if (!names.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['mcp', 'argumentNames', name],
          message: 'names no input',
        });
      }
    }
  }
  checkTemplate(action.replyTemplate, ['replyTemplate'], true);
  if (!action.verifiedOnly && usesCustomerIdentity(action)) {
    ctx.addIssue({
      code: 'custom',
      path: ['verifiedOnly'],
      message: "must be on for an action that uses the customer's identity",
    });
  }
}

/** The definition, validated; a failure is `bad_request:action` listing each field's path. */
export function parseActionDefinition(raw: unknown): ActionDefinition {
  const parsed = actionDefinitionSchema.safeParse(raw);
  if (!parsed.success) throw invalidInput('action', parsed.error);
  return parsed.data;
}

/** Checks one call's input against the action's typed inputs, model-visible ones only. */
export function inputSchemaOf(action: Pick<ActionDefinition, 'inputs'>) {
  const shape: Record<string, z.ZodType> = {};
  for (const input of modelInputs(action)) {
    let field: z.ZodType;
    switch (input.type) {
      case 'string': {
        let s = z.string().trim().min(1).max(500);
        if (input.pattern) s = s.regex(anchored(input.pattern), `must match ${input.pattern}`);
        field = s;
        break;
      }
      case 'number':
        field = z.number().finite();
        break;
      case 'boolean':
        field = z.boolean();
        break;
      case 'enum':
        field = z.enum(input.choices as [string, ...string[]]);
        break;
    }
    if (input.description) field = field.describe(input.description);
    shape[input.name] = input.required ? field : field.optional();
  }
  // Keys it was not offered (a customer id the model made up) are dropped, not trusted.
  return z.object(shape);
}

/** An admin's pattern as a whole-value test: `A\d{4}` accepts "A1001", not "xA1001y". */
export function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** A short line for the confirmation control and the approval queue: the label and the inputs. */
export function summarizeCall(
  action: Pick<ActionDefinition, 'label' | 'inputs'>,
  input: Record<string, unknown>,
): string {
  const parts = modelInputs(action)
    .filter((i) => input[i.name] !== undefined)
    .map((i) => `${i.name.replace(/_/g, ' ')}: ${String(input[i.name])}`);
  return parts.length > 0 ? `${action.label} (${parts.join(', ')})` : action.label;
}
