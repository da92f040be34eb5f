import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { actions, mcpConnectors } from '@/db/schema';
import { invalidInput, TandemError } from '@/lib/errors';
import { type Actor, audit } from '@/lib/privacy/audit';
import {
  type McpConnectorDefinition,
  type McpConnectorHeader,
  mcpConnectorSchema,
} from './definition';
import { mergeSecrets } from './secrets';

/*
 * MCP connectors: the servers whose tools admins offer as actions. Like an HTTP action, a
 * connector's secret header values are encrypted at rest, write-only, and never returned,
 * logged or put on the audit trail (which names only the headers given a new value).
 */

export type McpConnectorRow = typeof mcpConnectors.$inferSelect;

/** A connector as staff and API callers see it: a secret header says only whether it is set. */
export type PresentedConnector = Omit<McpConnectorRow, 'secrets' | 'headers'> & {
  headers: (
    | { name: string; secret: false; value: string }
    | { name: string; secret: true; set: boolean }
  )[];
  /** The actions made from its tools, by tool name. */
  actions: { id: string; name: string; tool: string; enabled: boolean }[];
};

export function parseConnector(raw: unknown): McpConnectorDefinition {
  const parsed = mcpConnectorSchema.safeParse(raw);
  if (!parsed.success) throw invalidInput('connector', parsed.error);
  return parsed.data;
}

export async function getConnector(db: Database, id: string): Promise<McpConnectorRow> {
  const [row] = await db.select().from(mcpConnectors).where(eq(mcpConnectors.id, id));
  if (!row) throw new TandemError('not_found:connector', 'No MCP connector has that id.');
  return row;
}

export async function findConnector(db: Database, idOrName: string): Promise<McpConnectorRow> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const [row] = await db
    .select()
    .from(mcpConnectors)
    .where(isId ? eq(mcpConnectors.id, idOrName) : eq(mcpConnectors.name, idOrName));
  if (!row) throw new TandemError('not_found:connector', 'No MCP connector has that id or name.');
  return row;
}

/** The actions made from a connector's tools. */
export async function actionsOf(db: Database, connectorId: string) {
  const rows = await db
    .select({ id: actions.id, name: actions.name, mcp: actions.mcp, enabled: actions.enabled })
    .from(actions)
    .where(sql`${actions.kind} = 'mcp' and ${actions.mcp}->>'connectorId' = ${connectorId}`)
    .orderBy(asc(actions.name));
  return rows.map((r) => ({ id: r.id, name: r.name, tool: r.mcp?.tool ?? '', enabled: r.enabled }));
}

export async function presentConnector(
  db: Database,
  row: McpConnectorRow,
): Promise<PresentedConnector> {
  const { secrets, headers, ...rest } = row;
  return {
    ...rest,
    headers: headers.map((h) =>
      h.secret
        ? { name: h.name, secret: true as const, set: Boolean(secrets[h.name.toLowerCase()]) }
        : { name: h.name, secret: false as const, value: h.value ?? '' },
    ),
    actions: await actionsOf(db, row.id),
  };
}

export async function listConnectors(db: Database): Promise<McpConnectorRow[]> {
  return db.select().from(mcpConnectors).orderBy(asc(mcpConnectors.name));
}

function columnsOf(definition: McpConnectorDefinition, secrets: Record<string, string>) {
  return {
    name: definition.name,
    url: definition.url,
    headers: definition.headers.map(
      (h): McpConnectorHeader =>
        h.secret
          ? { name: h.name, secret: true }
          : { name: h.name, secret: false, value: h.value ?? '' },
    ),
    secrets,
    timeoutMs: definition.timeoutMs,
    maxBytes: definition.maxBytes,
  };
}

async function refuseTakenName(db: Database, name: string, except?: string) {
  const [row] = await db.select().from(mcpConnectors).where(eq(mcpConnectors.name, name));
  if (row && row.id !== except) {
    throw new TandemError('conflict:connector', `An MCP connector named ${name} already exists.`, {
      fields: [{ field: 'name', message: 'is already used by another connector' }],
    });
  }
}

function secretHeadersSet(definition: McpConnectorDefinition): string[] {
  return definition.headers.filter((h) => h.secret && h.value).map((h) => h.name);
}

export async function addConnector(
  deps: { db: Database; secret: string },
  actor: Actor,
  raw: unknown,
): Promise<McpConnectorRow> {
  const definition = parseConnector(raw);
  await refuseTakenName(deps.db, definition.name);
  const secrets = mergeSecrets(deps.secret, {}, definition.headers);
  const missing = definition.headers.find((h) => h.secret && !secrets[h.name.toLowerCase()]);
  if (missing) {
    throw new TandemError(
      'bad_request:connector',
      `Give the secret header ${missing.name} a value.`,
      {
        fields: [{ field: 'headers', message: `${missing.name} needs a value` }],
      },
    );
  }
  const [row] = await deps.db
    .insert(mcpConnectors)
    .values(columnsOf(definition, secrets))
    .returning();
  await audit(
    deps.db,
    actor,
    'connector.created',
    { type: 'connector', id: row!.id },
    {
      name: row!.name,
      url: row!.url,
      secretHeadersSet: secretHeadersSet(definition),
    },
  );
  return row!;
}

/** Replaces the connector; a secret header sent without a value keeps its stored one. */
export async function changeConnector(
  deps: { db: Database; secret: string },
  actor: Actor,
  id: string,
  raw: unknown,
): Promise<McpConnectorRow> {
  const definition = parseConnector(raw);
  const current = await getConnector(deps.db, id);
  await refuseTakenName(deps.db, definition.name, id);
  const secrets = mergeSecrets(deps.secret, current.secrets, definition.headers);
  const [row] = await deps.db
    .update(mcpConnectors)
    .set(columnsOf(definition, secrets))
    .where(eq(mcpConnectors.id, id))
    .returning();
  if (!row) throw new TandemError('not_found:connector', 'No MCP connector has that id.');
  await audit(
    deps.db,
    actor,
    'connector.updated',
    { type: 'connector', id },
    {
      name: row.name,
      url: row.url,
      secretHeadersSet: secretHeadersSet(definition),
    },
  );
  return row;
}

/**
 * Removes a connector and the actions made from its tools (an action without its server could
 * only fail); their past calls keep the action's name.
 */
export async function removeConnector(deps: { db: Database }, actor: Actor, id: string) {
  const current = await getConnector(deps.db, id);
  const used = await actionsOf(deps.db, id);
  await deps.db.transaction(async (tx) => {
    if (used.length > 0) {
      await tx.delete(actions).where(
        inArray(
          actions.id,
          used.map((a) => a.id),
        ),
      );
    }
    await tx.delete(mcpConnectors).where(eq(mcpConnectors.id, id));
  });
  await audit(
    deps.db,
    actor,
    'connector.deleted',
    { type: 'connector', id },
    { name: current.name, actionsDeleted: used.map((a) => a.name) },
  );
}
