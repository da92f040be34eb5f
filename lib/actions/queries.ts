import { asc, count, eq, max } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { actions, mcpConnectors } from '@/db/schema';
import { invalidFields, TandemError } from '@/lib/errors';
import {
  type ActionDefinition,
  type ActionDefinitionInput,
  type ActionHeader,
  actionDefinitionSchema,
  parseActionDefinition,
} from './definition';
import { encryptSecret, mergeSecrets } from './secrets';

export type ActionRow = typeof actions.$inferSelect;

/** A stored action as the runtime uses it: its definition, id and encrypted secret values. */
export type StoredAction = ActionDefinition & {
  id: string;
  secrets: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
};

/** A header as staff and API callers see it: a secret one says only whether it has a value. */
export type PresentedHeader =
  | { name: string; secret: false; value: string }
  | { name: string; secret: true; set: boolean };

/** A stored action for staff and API callers: never a secret value, encrypted or not. */
export type PresentedAction = Omit<StoredAction, 'secrets' | 'http'> & {
  http?: Omit<Extract<ActionDefinition, { kind: 'http' }>['http'], 'headers'> & {
    headers: PresentedHeader[];
  };
};

/** The row as a validated definition; a row that no longer validates is a fault, not data. */
export function toStoredAction(row: ActionRow): StoredAction {
  const parsed = actionDefinitionSchema.safeParse({
    kind: row.kind,
    name: row.name,
    label: row.label,
    description: row.description,
    inputs: row.inputs,
    effect: row.effect,
    verifiedOnly: row.verifiedOnly,
    needsApproval: row.needsApproval,
    rateLimitPerHour: row.rateLimitPerHour,
    examples: row.examples,
    replyTemplate: row.replyTemplate,
    enabled: row.enabled,
    ...(row.kind === 'http' ? { http: row.http } : { mcp: row.mcp }),
  });
  if (!parsed.success) {
    throw new TandemError('internal:action', `The stored action ${row.name} is not valid.`);
  }
  return {
    ...parsed.data,
    id: row.id,
    secrets: row.secrets,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function presentAction(action: StoredAction): PresentedAction {
  const { secrets, ...rest } = action;
  if (rest.kind !== 'http') return rest;
  return {
    ...rest,
    http: {
      ...rest.http,
      headers: rest.http.headers.map(
        (h): PresentedHeader =>
          h.secret
            ? { name: h.name, secret: true, set: Boolean(secrets[h.name.toLowerCase()]) }
            : { name: h.name, secret: false, value: h.value ?? '' },
      ),
    },
  };
}

export async function listActions(db: Database): Promise<StoredAction[]> {
  const rows = await db.select().from(actions).orderBy(asc(actions.name));
  return rows.map(toStoredAction);
}

/** The actions the bot may use now. */
export async function listEnabledActions(db: Database): Promise<StoredAction[]> {
  const rows = await db
    .select()
    .from(actions)
    .where(eq(actions.enabled, true))
    .orderBy(asc(actions.name));
  return rows.map(toStoredAction);
}

/**
 * Changes whenever any action is created, edited or deleted, on every instance: what a cached
 * list of actions is keyed by.
 */
export async function actionsVersion(db: Database): Promise<string> {
  const [row] = await db.select({ n: count(), latest: max(actions.updatedAt) }).from(actions);
  return `${row?.n ?? 0}:${row?.latest ? new Date(row.latest).getTime() : 0}`;
}

/** Each action's name for people and what it is for, by the name the model calls it by. */
export async function actionLabels(
  db: Database,
): Promise<Map<string, { label: string; description: string }>> {
  const rows = await db
    .select({ name: actions.name, label: actions.label, description: actions.description })
    .from(actions);
  return new Map(rows.map((r) => [r.name, { label: r.label, description: r.description }]));
}

export async function getAction(db: Database, id: string): Promise<StoredAction> {
  const [row] = await db.select().from(actions).where(eq(actions.id, id));
  if (!row) throw new TandemError('not_found:action', 'No action has that id.');
  return toStoredAction(row);
}

export async function findActionByName(db: Database, name: string): Promise<StoredAction | null> {
  const [row] = await db.select().from(actions).where(eq(actions.name, name));
  return row ? toStoredAction(row) : null;
}

/** The columns a definition is stored in: secret header values only as ciphertext. */
function columnsOf(definition: ActionDefinition, secrets: Record<string, string>) {
  const stripSecret = (h: ActionHeader): ActionHeader =>
    h.secret ? { name: h.name, secret: true } : h;
  return {
    name: definition.name,
    label: definition.label,
    description: definition.description,
    kind: definition.kind,
    inputs: definition.inputs,
    http:
      definition.kind === 'http'
        ? { ...definition.http, headers: definition.http.headers.map(stripSecret) }
        : null,
    mcp: definition.kind === 'mcp' ? definition.mcp : null,
    secrets,
    effect: definition.effect,
    verifiedOnly: definition.verifiedOnly,
    needsApproval: definition.needsApproval,
    rateLimitPerHour: definition.rateLimitPerHour,
    examples: definition.examples,
    replyTemplate: definition.replyTemplate,
    enabled: definition.enabled,
  };
}

function secretHeadersOf(definition: ActionDefinition): ActionHeader[] {
  return definition.kind === 'http' ? definition.http.headers : [];
}

export async function createAction(
  db: Database,
  appSecret: string,
  raw: ActionDefinitionInput | unknown,
): Promise<StoredAction> {
  const definition = parseActionDefinition(raw);
  const secrets = mergeSecrets(appSecret, {}, secretHeadersOf(definition));
  await refuseTakenName(db, definition.name);
  await refuseUnknownConnector(db, definition);
  const [row] = await db.insert(actions).values(columnsOf(definition, secrets)).returning();
  return toStoredAction(row!);
}

/** Replaces the definition; a secret header sent without a value keeps its stored one. */
export async function updateAction(
  db: Database,
  appSecret: string,
  id: string,
  raw: ActionDefinitionInput | unknown,
): Promise<StoredAction> {
  const definition = parseActionDefinition(raw);
  const current = await getAction(db, id);
  if (definition.name !== current.name) await refuseTakenName(db, definition.name);
  await refuseUnknownConnector(db, definition);
  const secrets = mergeSecrets(appSecret, current.secrets, secretHeadersOf(definition));
  const [row] = await db
    .update(actions)
    .set(columnsOf(definition, secrets))
    .where(eq(actions.id, id))
    .returning();
  if (!row) throw new TandemError('not_found:action', 'No action has that id.');
  return toStoredAction(row);
}

export async function setActionEnabled(
  db: Database,
  id: string,
  enabled: boolean,
): Promise<StoredAction> {
  const [row] = await db.update(actions).set({ enabled }).where(eq(actions.id, id)).returning();
  if (!row) throw new TandemError('not_found:action', 'No action has that id.');
  return toStoredAction(row);
}

/**
 * Gives secret headers of an HTTP action new values, keeping the others: `values` by header
 * name (any case), each one a secret header of the action.
 */
export async function setActionSecrets(
  db: Database,
  appSecret: string,
  id: string,
  values: Record<string, string>,
): Promise<StoredAction> {
  const current = await getAction(db, id);
  const secretNames = new Set(
    current.kind === 'http'
      ? current.http.headers.filter((h) => h.secret).map((h) => h.name.toLowerCase())
      : [],
  );
  const problems = Object.keys(values)
    .filter((name) => !secretNames.has(name.toLowerCase()))
    .map((name) => ({
      field: `secrets.${name}`,
      message: 'is not a secret header of this action',
    }));
  if (problems.length > 0) throw invalidFields('action', problems);
  const secrets = { ...current.secrets };
  for (const [name, value] of Object.entries(values)) {
    const key = name.toLowerCase();
    secrets[key] = encryptSecret(appSecret, key, value);
  }
  const [row] = await db.update(actions).set({ secrets }).where(eq(actions.id, id)).returning();
  if (!row) throw new TandemError('not_found:action', 'No action has that id.');
  return toStoredAction(row);
}

export async function deleteAction(db: Database, id: string): Promise<StoredAction> {
  const [row] = await db.delete(actions).where(eq(actions.id, id)).returning();
  if (!row) throw new TandemError('not_found:action', 'No action has that id.');
  return toStoredAction(row);
}

async function refuseUnknownConnector(db: Database, definition: ActionDefinition) {
  if (definition.kind !== 'mcp') return;
  const [row] = await db
    .select({ id: mcpConnectors.id })
    .from(mcpConnectors)
    .where(eq(mcpConnectors.id, definition.mcp.connectorId));
  if (!row) {
    throw new TandemError('bad_request:action', 'No MCP connector has that id.', {
      fields: [{ field: 'mcp.connectorId', message: 'names no connector' }],
    });
  }
}

async function refuseTakenName(db: Database, name: string) {
  if (await findActionByName(db, name)) {
    throw new TandemError('conflict:action', `An action named ${name} already exists.`, {
      fields: [{ field: 'name', message: 'is already used by another action' }],
    });
  }
}
