import { z } from 'zod';
import { API_SCOPES, type ApiScope } from '@/lib/api-keys/keys';
import { apiMessageSchema } from '@/lib/turn/api-message';
import { apiActionBody, apiActionImportBody, apiActionSwitchBody } from './actions';
import { apiConnectorBody, apiConnectorImportBody } from './connectors';
import { apiProcedureBody } from './procedures';
import {
  agentMessageBody,
  createTicketBody,
  escalateBody,
  feedbackBody,
  kbDocumentBody,
  kbSearchBody,
  pageQuery,
  rangeQuery,
  resolveBody,
  updateTicketBody,
} from './schemas';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. /api/v1/tickets/{id}. */
  path: string;
  summary: string;
  scope: ApiScope;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success status and what it returns. */
  success: { status: number; description: string };
  /** A request that succeeds on a fresh demo workspace: documentation, and the walk in the tests. */
  example: { params?: Record<string, string>; body?: unknown; query?: Record<string, string> };
}

const MESSAGE_CHARS = 4000;

/** The procedure the API examples create, change, publish and delete. */
const EXAMPLE_PROCEDURE = {
  name: 'gift_wrap_request',
  description: 'A customer wants an order gift-wrapped.',
  examples: ['Can you gift-wrap my order?'],
  steps: [
    {
      id: 'ask-order',
      type: 'ask' as const,
      value: 'order_number',
      value_type: 'string' as const,
      pattern: '#?PC\\d{6}',
      prompt: 'Which order should we gift-wrap? Its number looks like #PC104962.',
    },
    {
      id: 'done',
      type: 'end' as const,
      text: 'Thanks: the team will gift-wrap {order_number} before it ships.',
    },
  ],
};

/** The action the API examples create, change and delete. */
const EXAMPLE_CONNECTOR = {
  name: 'Orders',
  url: 'https://mcp.example.com/mcp',
  headers: [{ name: 'Authorization', value: 'Bearer mcp_live_example', secret: true }],
  timeout_ms: 10_000,
};

const EXAMPLE_ACTION = {
  kind: 'http' as const,
  name: 'warranty_lookup',
  label: 'Look up a warranty',
  description: "Look up the warranty of one of the signed-in customer's products by serial number.",
  effect: 'read' as const,
  inputs: [
    {
      name: 'serial',
      type: 'string' as const,
      pattern: 'SN-\\d{6}',
      description: 'Like SN-123456',
    },
    { name: 'customer', type: 'string' as const, from_customer: 'site_user_id' as const },
  ],
  http: {
    method: 'GET' as const,
    url: 'https://warranty.example.com/api/warranties/{input.serial}?customer={input.customer}',
    headers: [{ name: 'Authorization', value: 'Bearer sk_example', secret: true }],
    response_fields: ['warranty.status', 'warranty.ends_on'],
  },
  examples: ['Is my SN-123456 still under warranty?'],
  reply_template:
    'The warranty of {input.serial} is {result.warranty.status} until {result.warranty.ends_on}.',
};

/** Every public API operation; routes validate with the same schemas. */
export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/messages',
    summary:
      'Send a customer message and get the reply (JSON, or streamed with Accept: text/event-stream). A message to a resolved conversation_id starts a new conversation linked to it: the reply names the new conversation_id, whose previous_conversation_id is the resolved one.',
    scope: 'write',
    body: apiMessageSchema(MESSAGE_CHARS),
    success: { status: 200, description: 'The reply with its citations and classification.' },
    example: { body: { customer_id: 'shop-user-17', message: 'How do I reset my password?' } },
  },
  {
    method: 'post',
    path: '/api/v1/messages/async',
    summary: 'Queue a customer message; the reply is produced by the job system (poll the task).',
    scope: 'write',
    body: apiMessageSchema(MESSAGE_CHARS),
    success: { status: 202, description: '{ task_id }' },
    example: { body: { customer_id: 'shop-user-18', message: 'Where is my parcel?' } },
  },
  {
    method: 'get',
    path: '/api/v1/tasks/{id}',
    summary:
      'An async message: pending, running, completed (with the result) or failed (with the error).',
    scope: 'read',
    success: { status: 200, description: '{ id, status, result?, error? }' },
    example: { params: { id: '{task_id}' } },
  },
  {
    method: 'get',
    path: '/api/v1/conversations/{id}',
    summary:
      'A conversation and its transcript as the customer saw it; previous_conversation_id names the resolved conversation it follows up, if any.',
    scope: 'read',
    success: { status: 200, description: 'The conversation.' },
    example: { params: { id: '{conversation_id}' } },
  },
  {
    method: 'get',
    path: '/api/v1/customers/{id}/conversations',
    summary: "A customer's conversations, newest first (cursor pagination).",
    scope: 'read',
    query: pageQuery,
    success: { status: 200, description: '{ data, next_cursor }' },
    example: { params: { id: 'shop-user-17' }, query: { limit: '10' } },
  },
  {
    method: 'post',
    path: '/api/v1/conversations/{id}/escalate',
    summary: 'Hand the conversation to the human team.',
    scope: 'write',
    body: escalateBody,
    success: { status: 200, description: 'Whether it was escalated, and the ticket opened.' },
    example: { params: { id: '{conversation_id}' }, body: { reason: 'VIP customer' } },
  },
  {
    method: 'post',
    path: '/api/v1/conversations/{id}/agent-messages',
    summary: "An agent's reply; the agent takes the conversation if nobody has it.",
    scope: 'agent',
    body: agentMessageBody,
    success: { status: 201, description: 'The stored message.' },
    example: {
      params: { id: '{conversation_id}' },
      body: { agent_email: '{agent_email}', message: 'Checking that for you now.' },
    },
  },
  {
    method: 'post',
    path: '/api/v1/conversations/{id}/resolve',
    summary: 'Resolve the conversation (as a named agent when one has it).',
    scope: 'write',
    body: resolveBody,
    success: { status: 200, description: 'The new status.' },
    example: {
      params: { id: '{conversation_id}' },
      body: { agent_email: '{agent_email}', note: 'Answered by phone' },
    },
  },
  {
    method: 'post',
    path: '/api/v1/tickets',
    summary: 'Open a ticket for a customer.',
    scope: 'write',
    body: createTicketBody,
    success: { status: 201, description: 'The ticket.' },
    example: {
      body: {
        customer_id: 'shop-user-17',
        subject: 'Damaged parcel',
        description: 'The box arrived crushed.',
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/tickets/{id}',
    summary: 'A ticket by id or number (TKT-1001).',
    scope: 'read',
    success: { status: 200, description: 'The ticket.' },
    example: { params: { id: '{ticket_id}' } },
  },
  {
    method: 'patch',
    path: '/api/v1/tickets/{id}',
    summary: "Change a ticket's status, priority or subject, or add details.",
    scope: 'write',
    body: updateTicketBody,
    success: { status: 200, description: 'The ticket.' },
    example: {
      params: { id: '{ticket_id}' },
      body: { status: 'in_progress', add_details: 'Photo received.' },
    },
  },
  {
    method: 'get',
    path: '/api/v1/customers/{id}/tickets',
    summary: "A customer's tickets, newest first (cursor pagination).",
    scope: 'read',
    query: pageQuery,
    success: { status: 200, description: '{ data, next_cursor }' },
    example: { params: { id: 'shop-user-17' } },
  },
  {
    method: 'get',
    path: '/api/v1/customers/{id}/insights',
    summary:
      'What Tandem knows about a customer: conversations, topics, escalation rate, CSAT, tickets, profile.',
    scope: 'read',
    success: { status: 200, description: 'The customer insights.' },
    example: { params: { id: 'shop-user-17' } },
  },
  {
    method: 'get',
    path: '/api/v1/customers/{id}/export',
    summary: 'Everything held about a customer, as JSON (right of access).',
    scope: 'admin',
    success: { status: 200, description: 'The customer data.' },
    example: { params: { id: 'shop-user-17' } },
  },
  {
    method: 'post',
    path: '/api/v1/kb/documents',
    summary:
      'Add a document: a file (multipart field "file"), a web address ({url}) or Markdown ({title, content}).',
    scope: 'write',
    body: kbDocumentBody,
    success: { status: 201, description: 'The indexed document.' },
    example: { body: { title: 'Gift wrapping', content: 'We gift-wrap any order for S$3.' } },
  },
  {
    method: 'get',
    path: '/api/v1/kb/documents',
    summary: 'List (and search) knowledge-base documents.',
    scope: 'read',
    query: z.object({ q: z.string().max(200).optional() }),
    success: { status: 200, description: '{ data, total }' },
    example: { query: { q: 'refund' } },
  },
  {
    method: 'delete',
    path: '/api/v1/kb/documents/{id}',
    summary: 'Delete a document; answers stop citing it at once.',
    scope: 'write',
    success: { status: 204, description: 'Deleted.' },
    example: { params: { id: '{document_id}' } },
  },
  {
    method: 'post',
    path: '/api/v1/kb/search',
    summary: 'The passages the bot would answer from, with scores and confidence.',
    scope: 'read',
    body: kbSearchBody,
    success: { status: 200, description: '{ confidence, answerable, passages }' },
    example: { body: { query: 'How long do refunds take?' } },
  },
  {
    method: 'get',
    path: '/api/v1/kb/stats',
    summary: 'Knowledge-base size by category.',
    scope: 'read',
    success: { status: 200, description: 'Counts.' },
    example: {},
  },
  {
    method: 'get',
    path: '/api/v1/analytics/summary',
    summary: "The insights dashboard's figures for a range (days=7|30|90, or from and to).",
    scope: 'read',
    query: rangeQuery,
    success: { status: 200, description: 'The figures.' },
    example: { query: { days: '30' } },
  },
  {
    method: 'get',
    path: '/api/v1/analytics/outcomes',
    summary:
      'How the conversations started in a range ended — resolved by the AI alone, assisted, escalated, abandoned, in progress — and how many first resolutions held for 7 days; each with its definition.',
    scope: 'read',
    query: rangeQuery,
    success: {
      status: 200,
      description:
        '{ range, as_of, conversations, outcomes: { <outcome>: { count, rate, label, definition } }, daily: [{ day, <outcome>: count }], ai_resolution_seconds: { median, p90, n }, durable: { judged, durable, reopened, pending, rate, label, definition }, windows }',
    },
    example: { query: { from: '2026-11-01', to: '2026-11-30' } },
  },
  {
    method: 'post',
    path: '/api/v1/messages/{id}/feedback',
    summary: 'Thumbs up or down on an AI answer.',
    scope: 'write',
    body: feedbackBody,
    success: { status: 200, description: 'Recorded.' },
    example: { params: { id: '{message_id}' }, body: { helpful: true } },
  },
  {
    method: 'post',
    path: '/api/v1/customers/{id}/erase',
    summary: 'Erase a customer everywhere; returns the erasure receipt (idempotent by receipt).',
    scope: 'admin',
    success: { status: 200, description: 'The erasure receipt: what went, how many, when.' },
    example: { params: { id: 'shop-user-17' } },
  },
  {
    method: 'post',
    path: '/api/v1/actions',
    summary:
      'Define an action the bot can take in your systems: typed inputs, an HTTP request template, secret headers (write-only), the response fields it may see, and its policies.',
    scope: 'admin',
    body: apiActionBody,
    success: {
      status: 201,
      description: 'The action; secret headers show only whether they are set.',
    },
    example: { body: EXAMPLE_ACTION },
  },
  {
    method: 'get',
    path: '/api/v1/actions',
    summary: 'Every action, enabled or not; secret header values are never returned.',
    scope: 'admin',
    success: { status: 200, description: '{ data }' },
    example: {},
  },
  {
    method: 'get',
    path: '/api/v1/actions/{id}',
    summary: 'An action by id or name.',
    scope: 'admin',
    success: { status: 200, description: 'The action.' },
    example: { params: { id: EXAMPLE_ACTION.name } },
  },
  {
    method: 'put',
    path: '/api/v1/actions/{id}',
    summary:
      "Replace an action's definition; a secret header sent without a value keeps its stored one.",
    scope: 'admin',
    body: apiActionBody,
    success: { status: 200, description: 'The action.' },
    example: {
      params: { id: EXAMPLE_ACTION.name },
      body: {
        ...EXAMPLE_ACTION,
        http: {
          ...EXAMPLE_ACTION.http,
          headers: [{ name: 'Authorization', secret: true }],
          response_fields: ['warranty.status', 'warranty.ends_on', 'warranty.product'],
        },
      },
    },
  },
  {
    method: 'patch',
    path: '/api/v1/actions/{id}',
    summary: 'Turn an action on or off.',
    scope: 'admin',
    body: apiActionSwitchBody,
    success: { status: 200, description: 'The action.' },
    example: { params: { id: EXAMPLE_ACTION.name }, body: { enabled: true } },
  },
  {
    method: 'post',
    path: '/api/v1/actions/import',
    summary:
      'Create actions from chosen operations of an OpenAPI 3 JSON document (given, or fetched from its URL); they start turned off.',
    scope: 'admin',
    body: apiActionImportBody,
    success: { status: 201, description: '{ data }: the created actions.' },
    example: {
      body: {
        document: {
          openapi: '3.0.3',
          info: { title: 'Store', version: '1' },
          servers: [{ url: 'https://store.example.com/api' }],
          paths: {
            '/stores/{city}/hours': {
              get: {
                operationId: 'getStoreHours',
                summary: "A store's opening hours",
                parameters: [
                  { name: 'city', in: 'path', required: true, schema: { type: 'string' } },
                ],
                responses: {
                  '200': {
                    description: 'Hours',
                    content: {
                      'application/json': {
                        schema: {
                          type: 'object',
                          properties: { opens: { type: 'string' }, closes: { type: 'string' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        operations: ['GET /stores/{city}/hours'],
      },
    },
  },
  {
    method: 'delete',
    path: '/api/v1/actions/{id}',
    summary: 'Delete an action; past calls keep its name.',
    scope: 'admin',
    success: { status: 204, description: 'Deleted.' },
    example: { params: { id: EXAMPLE_ACTION.name } },
  },
  {
    method: 'post',
    path: '/api/v1/connectors',
    summary:
      'Add an MCP server (Streamable HTTP) whose tools can become actions; secret header values are write-only and stored encrypted.',
    scope: 'admin',
    body: apiConnectorBody,
    success: {
      status: 201,
      description: 'The connector; secret headers show only whether they are set.',
    },
    example: { body: EXAMPLE_CONNECTOR },
  },
  {
    method: 'get',
    path: '/api/v1/connectors',
    summary: 'Every MCP connector, with the actions made from its tools; never a secret value.',
    scope: 'admin',
    success: { status: 200, description: '{ data }' },
    example: {},
  },
  {
    method: 'get',
    path: '/api/v1/connectors/{id}',
    summary: 'An MCP connector by id or name.',
    scope: 'admin',
    success: { status: 200, description: 'The connector.' },
    example: { params: { id: EXAMPLE_CONNECTOR.name } },
  },
  {
    method: 'put',
    path: '/api/v1/connectors/{id}',
    summary: 'Replace a connector; a secret header sent without a value keeps its stored one.',
    scope: 'admin',
    body: apiConnectorBody,
    success: { status: 200, description: 'The connector.' },
    example: {
      params: { id: EXAMPLE_CONNECTOR.name },
      body: { ...EXAMPLE_CONNECTOR, headers: [{ name: 'Authorization', secret: true }] },
    },
  },
  {
    method: 'get',
    path: '/api/v1/connectors/{id}/tools',
    summary:
      "The tools the connector's server offers now: read-only or not, whether each can be offered, and the action made from it.",
    scope: 'admin',
    success: { status: 200, description: '{ data }' },
    example: { params: { id: EXAMPLE_CONNECTOR.name } },
  },
  {
    method: 'post',
    path: '/api/v1/connectors/{id}/tools',
    summary:
      'Make actions of chosen tools (kind mcp): a tool not marked read-only is a write the customer confirms; every action policy applies. Turned off unless enable.',
    scope: 'admin',
    body: apiConnectorImportBody,
    success: { status: 201, description: '{ data }: the created actions.' },
    example: { params: { id: EXAMPLE_CONNECTOR.name }, body: { tools: ['lookupOrder'] } },
  },
  {
    method: 'delete',
    path: '/api/v1/connectors/{id}',
    summary:
      'Delete a connector and the actions made from its tools; their past calls keep their names.',
    scope: 'admin',
    success: { status: 204, description: 'Deleted.' },
    example: { params: { id: EXAMPLE_CONNECTOR.name } },
  },
  {
    method: 'post',
    path: '/api/v1/procedures',
    summary:
      'Create a procedure as a draft: ordered steps (say, ask, call an action, branch, hand off, end) the bot follows for one kind of request. Customers get it once it is published.',
    scope: 'admin',
    body: apiProcedureBody,
    success: {
      status: 201,
      description:
        'The procedure: its draft definition, published version (none yet) and versions. 400 lists each field at fault; 409 when the name is taken.',
    },
    example: { body: EXAMPLE_PROCEDURE },
  },
  {
    method: 'get',
    path: '/api/v1/procedures',
    summary: 'Every procedure, with its published version and whether its draft has changes.',
    scope: 'admin',
    success: { status: 200, description: '{ data }' },
    example: {},
  },
  {
    method: 'get',
    path: '/api/v1/procedures/{id}',
    summary: 'A procedure by id or name: its draft, its published version and every version.',
    scope: 'admin',
    success: { status: 200, description: 'The procedure.' },
    example: { params: { id: EXAMPLE_PROCEDURE.name } },
  },
  {
    method: 'put',
    path: '/api/v1/procedures/{id}',
    summary:
      "Replace a procedure's draft (its name stays); what customers get changes only when it is published.",
    scope: 'admin',
    body: apiProcedureBody,
    success: { status: 200, description: 'The procedure.' },
    example: {
      params: { id: EXAMPLE_PROCEDURE.name },
      body: {
        ...EXAMPLE_PROCEDURE,
        steps: [
          EXAMPLE_PROCEDURE.steps[0],
          { id: 'thanks', type: 'say', text: 'Got it: {order_number}.' },
          EXAMPLE_PROCEDURE.steps[1],
        ],
      },
    },
  },
  {
    method: 'post',
    path: '/api/v1/procedures/{id}/publish',
    summary:
      'Publish the draft as the next version; conversations already in the procedure finish on the version they started.',
    scope: 'admin',
    success: {
      status: 200,
      description: 'The procedure. 409 when the draft is already the published version.',
    },
    example: { params: { id: EXAMPLE_PROCEDURE.name } },
  },
  {
    method: 'delete',
    path: '/api/v1/procedures/{id}',
    summary:
      'Delete a procedure and its versions; refused (409) while an open conversation is in it.',
    scope: 'admin',
    success: { status: 204, description: 'Deleted.' },
    example: { params: { id: EXAMPLE_PROCEDURE.name } },
  },
];

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['forbidden:api'] },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
};

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

/** The OpenAPI 3.1 document, generated from the operations above. */
export function openApiDocument(serverUrl = '/') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: `${op.method}${op.path
        .replace('/api/v1', '')
        .replace(/\{(\w+)\}/g, 'By$1')
        .replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      description: `Requires the \`${op.scope}\` scope (or a wider one: ${API_SCOPES.slice(API_SCOPES.indexOf(op.scope) + 1).join(', ') || 'none'}).`,
      security: [{ apiKey: [] }],
      parameters: [
        ...pathParams,
        ...queryParameters(op.query),
        ...(op.method === 'post' && op.path === '/api/v1/messages'
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                schema: { type: 'string', maxLength: 200 },
              },
            ]
          : []),
      ],
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: jsonSchema(op.body), example: op.example.body },
              },
            },
          }
        : {}),
      responses: {
        [String(op.success.status)]: {
          description: op.success.description,
          ...(op.success.status === 204
            ? {}
            : { content: { 'application/json': { schema: { type: 'object' } } } }),
        },
        ...Object.fromEntries(
          [
            ['400', 'Invalid input; details.fields names each field.'],
            ['401', 'Missing or invalid API key.'],
            ['403', 'The key lacks the scope.'],
            ['404', 'Not found (or another customer’s).'],
            ['429', 'Rate limited; see Retry-After.'],
          ].map(([status, description]) => [
            status,
            {
              description,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tandem API',
      version: '1.0.0',
      description:
        'The public API of Tandem, an AI customer-support desk. Every response carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from /admin/api-keys.' },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
