import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Database } from '@/db/client';
import { TandemError } from '@/lib/errors';
import { log } from '@/lib/log';
import { type Actor, audit } from '@/lib/privacy/audit';
import {
  ACTION_NAME,
  type ActionDefinitionInput,
  type ActionInput,
  INPUT_NAME,
  isRegExp,
} from './definition';
import { type ActionNetwork, maskText } from './http';
import { actionsOf, getConnector, type McpConnectorRow } from './mcp-connectors';
import { guardedFetch } from './mcp-fetch';
import { createAction, findActionByName, type StoredAction } from './queries';
import { decryptSecret } from './secrets';
import { pickPaths } from './template';

/*
 * Talking to an MCP server over Streamable HTTP with the official SDK's client: one short
 * session per use (list the tools, or call one), through the guarded fetch, with the connector's
 * headers (secret ones decrypted only here) and its time limit on every request. A tool's result
 * is cut down to the action's allowlisted fields before anything else sees it.
 */

export interface McpDeps {
  db: Database;
  /** The desk's secret, under which secret header values are encrypted. */
  secret: string;
  network: ActionNetwork;
}

export interface McpCallOutcome {
  /** The allowlisted part of the result. */
  data: unknown;
  error?: string;
  /** The whole result for the admin's Test, secrets masked; never stored. */
  raw?: string;
}

type Session = { client: Client; secretValues: string[] };

const CLIENT_INFO = { name: 'tandem', version: '1.0.0' };

async function withSession<T>(
  deps: McpDeps,
  connector: McpConnectorRow,
  use: (session: Session) => Promise<T>,
): Promise<T> {
  const headers: Record<string, string> = {};
  const secretValues: string[] = [];
  for (const header of connector.headers) {
    const key = header.name.toLowerCase();
    if (header.secret) {
      const sealed = connector.secrets[key];
      if (!sealed) {
        throw new TandemError(
          'bad_request:connector',
          `The secret header ${header.name} has no value.`,
        );
      }
      const value = decryptSecret(deps.secret, key, sealed);
      headers[key] = value;
      secretValues.push(value);
    } else {
      headers[key] = header.value ?? '';
    }
  }
  const transport = new StreamableHTTPClientTransport(new URL(connector.url), {
    fetch: guardedFetch(deps.network, { maxBytes: connector.maxBytes }),
    requestInit: { headers },
    // One short session: a dropped event stream is not worth reconnecting to.
    reconnectionOptions: {
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
      maxRetries: 0,
    },
  });
  const client = new Client(CLIENT_INFO);
  try {
    await client.connect(transport, { timeout: connector.timeoutMs });
    return await use({ client, secretValues });
  } catch (error) {
    throw describeFailure(error, connector, secretValues);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function describeFailure(error: unknown, connector: McpConnectorRow, secretValues: string[]) {
  if (error instanceof TandemError) {
    return new TandemError(error.code, maskText(error.message, secretValues), error.details);
  }
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  const code = (error as NodeJS.ErrnoException)?.code ?? cause;
  let message: string;
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    message = `The MCP server did not answer within ${connector.timeoutMs} ms.`;
  } else if (code === 'ECONNREFUSED') {
    message = 'The MCP server refused the connection.';
  } else if (error instanceof StreamableHTTPError && error.code) {
    message = `The MCP server answered ${error.code}.`;
  } else {
    const text = error instanceof Error ? error.message : String(error);
    message = `The MCP server could not be used: ${maskText(text, secretValues).slice(0, 300)}`;
  }
  return new TandemError('bad_request:connector', message);
}

/** A tool as an MCP server describes it. */
export interface McpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type?: string; properties?: Record<string, unknown>; required?: string[] };
  annotations?: { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean };
}

async function fetchTools(client: Client, timeoutMs: number): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  // A server that pages forever is cut off: 20 pages are far more tools than anyone offers.
  for (let page = 0; page < 20; page++) {
    const result = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
    tools.push(...(result.tools as McpTool[]));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** A tool offered as an action: the draft definition, what could not be mapped, and if taken. */
export interface ConnectorTool {
  name: string;
  title: string;
  description: string;
  readOnly: boolean;
  draft: ActionDefinitionInput & { kind: 'mcp' };
  warnings: string[];
  /** Whether the draft can be created as it is. */
  importable: boolean;
  /** The action already made from it, if any. */
  action: { id: string; name: string; enabled: boolean } | null;
}

/** The tools a connector's server offers now, each with its draft action and any made from it. */
export async function listConnectorTools(
  deps: McpDeps,
  connectorId: string,
): Promise<ConnectorTool[]> {
  const connector = await getConnector(deps.db, connectorId);
  const tools = await withSession(deps, connector, ({ client }) =>
    fetchTools(client, connector.timeoutMs),
  );
  const existing = await actionsOf(deps.db, connectorId);
  return tools.map((tool) => {
    const made = existing.find((a) => a.tool === tool.name);
    return {
      ...draftOf(connector, tool),
      action: made ? { id: made.id, name: made.name, enabled: made.enabled } : null,
    };
  });
}

/** Lower-case words joined by _: `getOrder` → `get_order`, `order-status` → `order_status`. */
function snakeName(raw: string): string {
  return raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function actionNameOf(tool: string): string {
  let name = snakeName(tool);
  if (!/^[a-z]/.test(name)) name = `mcp_${name}`;
  name = name.slice(0, 48).replace(/_+$/, '');
  return name.length >= 2 ? name : `mcp_${name}`.slice(0, 48);
}

/** What a tool can be offered as: its JSON Schema's plain fields become typed inputs. */
export function draftOf(
  connector: Pick<McpConnectorRow, 'id'>,
  tool: McpTool,
): Omit<ConnectorTool, 'action'> {
  const warnings: string[] = [];
  let importable = true;
  const inputs: ActionInput[] = [];
  const argumentNames: Record<string, string> = {};
  const required = new Set(tool.inputSchema?.required ?? []);
  for (const [argument, raw] of Object.entries(tool.inputSchema?.properties ?? {})) {
    const schema = (raw ?? {}) as Record<string, unknown>;
    const name = snakeName(argument).slice(0, 40);
    const input = inputOf(name, schema, required.has(argument));
    if (!input || !INPUT_NAME.test(name)) {
      const why = input ? 'its name cannot be an input name' : 'its type is not a plain value';
      if (required.has(argument)) {
        importable = false;
        warnings.push(`The required argument ${argument} cannot be offered: ${why}.`);
      } else {
        warnings.push(`The optional argument ${argument} is left out: ${why}.`);
      }
      continue;
    }
    if (name !== argument) argumentNames[name] = argument;
    inputs.push(input);
  }
  const readOnly = tool.annotations?.readOnlyHint === true;
  if (!readOnly) warnings.push('The server does not mark it read-only: it is imported as a write.');
  const title = tool.title ?? tool.annotations?.title ?? tool.name;
  const name = actionNameOf(tool.name);
  if (!ACTION_NAME.test(name)) {
    importable = false;
    warnings.push(`No action name can be made from ${tool.name}.`);
  }
  return {
    name: tool.name,
    title,
    description: tool.description ?? '',
    readOnly,
    warnings,
    importable,
    draft: {
      kind: 'mcp',
      name,
      label: title.slice(0, 120),
      description: (tool.description?.trim() || title).slice(0, 2000),
      inputs,
      effect: readOnly ? 'read' : 'write',
      verifiedOnly: true,
      needsApproval: false,
      enabled: false,
      mcp: { connectorId: connector.id, tool: tool.name, responseFields: [], argumentNames },
    },
  };
}

function inputOf(
  name: string,
  schema: Record<string, unknown>,
  required: boolean,
): ActionInput | null {
  const description =
    typeof schema.description === 'string' ? schema.description.slice(0, 500) : '';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (
    Array.isArray(schema.enum) &&
    schema.enum.every((c) => typeof c === 'string') &&
    schema.enum.length > 0
  ) {
    return {
      name,
      type: 'enum',
      description,
      required,
      choices: (schema.enum as string[]).slice(0, 50),
    };
  }
  switch (type) {
    case 'string': {
      const pattern =
        typeof schema.pattern === 'string' &&
        schema.pattern.length <= 200 &&
        isRegExp(schema.pattern)
          ? { pattern: schema.pattern.replace(/^\^|\$$/g, '') }
          : {};
      return { name, type: 'string', description, required, ...pattern };
    }
    case 'number':
    case 'integer':
      return { name, type: 'number', description, required };
    case 'boolean':
      return { name, type: 'boolean', description, required };
    default:
      return null;
  }
}

/** What a tool's result holds: its structured content, else its text (JSON when it is). */
export function resultData(result: { structuredContent?: unknown; content?: unknown }): unknown {
  if (result.structuredContent && typeof result.structuredContent === 'object') {
    return result.structuredContent;
  }
  const texts = (Array.isArray(result.content) ? result.content : [])
    .filter(
      (c): c is { type: 'text'; text: string } => c?.type === 'text' && typeof c.text === 'string',
    )
    .map((c) => c.text);
  if (texts.length === 1) {
    try {
      return JSON.parse(texts[0]!);
    } catch {
      // Plain text: offered under `text`.
    }
  }
  return { text: texts.join('\n') };
}

function maskDeep(value: unknown, secretValues: string[]): unknown {
  if (secretValues.length === 0) return value;
  return JSON.parse(maskText(JSON.stringify(value ?? null), secretValues));
}

/**
 * Calls an action's tool with the call's input (renamed to the tool's argument names) and keeps
 * only the allowlisted fields. Failures come back as `error`, in words for staff and customer.
 */
export async function callMcpAction(
  deps: McpDeps,
  action: Extract<StoredAction, { kind: 'mcp' }>,
  input: Record<string, unknown>,
): Promise<McpCallOutcome> {
  let connector: McpConnectorRow;
  try {
    connector = await getConnector(deps.db, action.mcp.connectorId);
  } catch {
    return { data: {}, error: 'The MCP connector of this action no longer exists.' };
  }
  const args: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    args[action.mcp.argumentNames[name] ?? name] = value;
  }
  try {
    return await withSession(deps, connector, async ({ client, secretValues }) => {
      const result = await client.callTool({ name: action.mcp.tool, arguments: args }, undefined, {
        timeout: connector.timeoutMs,
      });
      const whole = maskDeep(resultData(result as Parameters<typeof resultData>[0]), secretValues);
      const raw = JSON.stringify(whole, null, 2).slice(0, 20_000);
      if (result.isError) {
        log.warn({ action: action.name, tool: action.mcp.tool }, 'mcp tool reported an error');
        return { data: {}, error: 'The tool reported an error.', raw };
      }
      return { data: pickPaths(whole, action.mcp.responseFields), raw };
    });
  } catch (error) {
    const message =
      error instanceof TandemError ? error.message : 'The MCP server could not be used.';
    if (!(error instanceof TandemError)) {
      log.error({ err: error, action: action.name }, 'mcp call failed');
    }
    return { data: {}, error: message };
  }
}

/** The runner the calls runtime and the admin's Test use for MCP actions. */
export function mcpRunnerOf(deps: McpDeps) {
  return (action: Extract<StoredAction, { kind: 'mcp' }>, input: Record<string, unknown>) =>
    callMcpAction(deps, action, input);
}

/**
 * Creates actions from the picked tools, each with the policies its draft implies (a tool not
 * marked read-only is a write, so the customer confirms it; verified customers only), turned
 * off unless `enable`. A name already used gets the connector's name before it.
 */
export async function importConnectorTools(
  deps: McpDeps,
  actor: Actor,
  connectorId: string,
  toolNames: string[],
  { enable = false }: { enable?: boolean } = {},
): Promise<StoredAction[]> {
  const connector = await getConnector(deps.db, connectorId);
  const tools = await withSession(deps, connector, ({ client }) =>
    fetchTools(client, connector.timeoutMs),
  );
  const wanted = [...new Set(toolNames)];
  const unknown = wanted.filter((name) => !tools.some((t) => t.name === name));
  if (unknown.length > 0) {
    throw new TandemError(
      'bad_request:connector',
      `The server offers no tool named ${unknown.join(', ')}.`,
      { fields: [{ field: 'tools', message: `unknown: ${unknown.join(', ')}` }] },
    );
  }
  const created: StoredAction[] = [];
  for (const name of wanted) {
    const draft = draftOf(connector, tools.find((t) => t.name === name)!);
    if (!draft.importable) {
      throw new TandemError(
        'bad_request:connector',
        `${name} cannot be imported: ${draft.warnings.join(' ')}`,
      );
    }
    let actionName = draft.draft.name;
    if (await findActionByName(deps.db, actionName)) {
      actionName = actionNameOf(`${connector.name}_${name}`);
    }
    created.push(
      await createAction(deps.db, deps.secret, {
        ...draft.draft,
        name: actionName,
        enabled: enable,
      }),
    );
  }
  await audit(
    deps.db,
    actor,
    'action.imported',
    { type: 'connector', id: connectorId },
    {
      names: created.map((a) => a.name),
      from: `MCP connector ${connector.name}`,
    },
  );
  return created;
}
