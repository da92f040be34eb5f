import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { auditLog, conversations, procedureRuns, procedures } from '@/db/schema';
import { listActions, type StoredAction } from '@/lib/actions/queries';
import { type FieldProblem, invalidFields, TandemError } from '@/lib/errors';
import { type Actor, audit } from '@/lib/privacy/audit';
import { type ProcedureDefinition, type ProcedureStep, parseProcedure } from './definition';
import { draftOf, publishedOf, publishProcedure, sameVersion, saveDraft } from './store';

/*
 * What admins do to procedures, from the admin pages and the API alike: list and read them with
 * their versions, save a draft, publish it, delete one. Each change is validated (the definition,
 * and that every call step names a defined action with inputs it has) and put on the audit trail
 * with a sentence saying what was done. The versioned rows themselves are store.ts's.
 */

type ProcedureRow = typeof procedures.$inferSelect;

/**
 * `new`: never published; `changed`: the draft differs from the published version;
 * `published`: the draft is the published version.
 */
export type DraftState = 'new' | 'changed' | 'published';

export interface ProcedureSummary {
  id: string;
  name: string;
  description: string;
  examples: string[];
  stepCount: number;
  /** The version the draft becomes when published. */
  draftVersion: number;
  publishedVersion: number | null;
  publishedAt: Date | null;
  draft: DraftState;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProcedureVersion {
  version: number;
  description: string;
  examples: string[];
  steps: ProcedureStep[];
  /** Whether customers starting the procedure now get this version. */
  current: boolean;
  publishedAt: Date | null;
  publishedBy: string | null;
}

export interface ProcedureDetail extends ProcedureSummary {
  /** The draft, as the editor shows it. */
  definition: ProcedureDefinition;
  /** The published version, or null before the first publish. */
  published: ProcedureDefinition | null;
  /** Every published version, newest first. */
  versions: ProcedureVersion[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function draftStateOf(row: ProcedureRow): DraftState {
  const published = publishedOf(row);
  if (!published) return 'new';
  return sameVersion(published, draftOf(row)) ? 'published' : 'changed';
}

function summaryOf(row: ProcedureRow): ProcedureSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    examples: row.examples,
    stepCount: row.steps.length,
    draftVersion: row.version,
    publishedVersion: row.publishedVersion,
    publishedAt: row.publishedAt,
    draft: draftStateOf(row),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listProcedures(db: Database): Promise<ProcedureSummary[]> {
  const rows = await db.select().from(procedures).orderBy(asc(procedures.name));
  return rows.map(summaryOf);
}

async function rowById(db: Database, id: string): Promise<ProcedureRow> {
  const [row] = UUID.test(id)
    ? await db.select().from(procedures).where(eq(procedures.id, id))
    : [];
  if (!row) throw new TandemError('not_found:procedure', 'No procedure has that id.');
  return row;
}

/** A procedure by its id or its name (the API takes either). */
export async function findProcedure(db: Database, idOrName: string): Promise<ProcedureSummary> {
  const [row] = await db
    .select()
    .from(procedures)
    .where(UUID.test(idOrName) ? eq(procedures.id, idOrName) : eq(procedures.name, idOrName));
  if (!row) throw new TandemError('not_found:procedure', 'No procedure has that id or name.');
  return summaryOf(row);
}

/** Every published version, newest first, with who published it and when (from the audit trail). */
export async function procedureVersions(db: Database, id: string): Promise<ProcedureVersion[]> {
  return versionsOf(db, await rowById(db, id));
}

async function versionsOf(db: Database, row: ProcedureRow): Promise<ProcedureVersion[]> {
  const publishes = await db
    .select({ at: auditLog.at, actorName: auditLog.actorName, details: auditLog.details })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.subjectType, 'procedure'),
        eq(auditLog.subjectId, row.id),
        eq(auditLog.action, 'procedure.published'),
      ),
    )
    .orderBy(desc(auditLog.at));
  const publishOf = (version: number) => publishes.find((p) => p.details.version === version);
  return Object.entries(row.history)
    .map(([version, at]) => ({ version: Number(version), at }))
    .filter((v) => Number.isInteger(v.version))
    .sort((a, b) => b.version - a.version)
    .map(({ version, at }) => {
      const publish = publishOf(version);
      return {
        version,
        description: at.description,
        examples: at.examples,
        steps: at.steps,
        current: version === row.publishedVersion,
        publishedAt: publish?.at ?? (version === row.publishedVersion ? row.publishedAt : null),
        publishedBy: publish?.actorName ?? null,
      };
    });
}

export async function getProcedure(db: Database, id: string): Promise<ProcedureDetail> {
  const row = await rowById(db, id);
  const published = publishedOf(row);
  return {
    ...summaryOf(row),
    definition: { name: row.name, ...draftOf(row) },
    published: published && { name: row.name, ...published },
    versions: await versionsOf(db, row),
  };
}

/** Each call step must name a defined action and map only inputs it has, all it needs. */
function actionProblems(def: ProcedureDefinition, actions: StoredAction[]): FieldProblem[] {
  const byName = new Map(actions.map((a) => [a.name, a]));
  const problems: FieldProblem[] = [];
  def.steps.forEach((step, i) => {
    if (step.type !== 'call') return;
    const action = byName.get(step.action);
    if (!action) {
      problems.push({
        field: `steps.${i}.action`,
        message: `no action "${step.action}" is defined; add it under Actions first`,
      });
      return;
    }
    const inputs = new Map(action.inputs.map((input) => [input.name, input]));
    for (const name of Object.keys(step.input)) {
      const input = inputs.get(name);
      if (!input) {
        problems.push({
          field: `steps.${i}.input.${name}`,
          message: `${action.name} has no input "${name}"`,
        });
      } else if (input.fromCustomer) {
        problems.push({
          field: `steps.${i}.input.${name}`,
          message: `${action.name} takes "${name}" from the verified customer, not from the procedure`,
        });
      }
    }
    for (const input of action.inputs) {
      if (input.required && !input.fromCustomer && !(input.name in step.input)) {
        problems.push({
          field: `steps.${i}.input.${input.name}`,
          message: `${action.name} needs "${input.name}"`,
        });
      }
    }
  });
  return problems;
}

/** A valid procedure whose call steps fit the actions defined now. */
async function validated(db: Database, input: unknown): Promise<ProcedureDefinition> {
  const def = parseProcedure(input);
  if (def.steps.some((s) => s.type === 'call')) {
    const problems = actionProblems(def, await listActions(db));
    if (problems.length > 0) throw invalidFields('procedure', problems);
  }
  return def;
}

const steps = (n: number) => (n === 1 ? '1 step' : `${n} steps`);

/** Creates a procedure as a draft; its name must be new. */
export async function createProcedure(
  db: Database,
  actor: Actor,
  input: unknown,
): Promise<ProcedureDetail> {
  const def = await validated(db, input);
  // Inserted only if the name is free, so two admins creating one name cannot overwrite each other.
  const [row] = await db
    .insert(procedures)
    .values({
      name: def.name,
      description: def.description,
      examples: def.examples,
      steps: def.steps,
    })
    .onConflictDoNothing({ target: procedures.name })
    .returning();
  if (!row) {
    throw new TandemError(
      'conflict:procedure',
      `A procedure named ${def.name} already exists; edit its draft instead.`,
    );
  }
  await audit(
    db,
    actor,
    'procedure.created',
    { type: 'procedure', id: row.id },
    {
      name: row.name,
      version: row.version,
      summary: `Created procedure ${row.name} as a draft with ${steps(row.steps.length)}.`,
    },
  );
  return getProcedure(db, row.id);
}

/** Replaces the draft of a procedure; what customers get changes only when it is published. */
export async function saveProcedureDraft(
  db: Database,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<ProcedureDetail> {
  const current = await rowById(db, id);
  const def = await validated(db, input);
  if (def.name !== current.name) {
    throw invalidFields('procedure', [
      {
        field: 'name',
        message: `a procedure keeps its name (${current.name}); create a new procedure for another`,
      },
    ]);
  }
  const row = await saveDraft(db, def);
  await audit(
    db,
    actor,
    'procedure.saved',
    { type: 'procedure', id: row.id },
    {
      name: row.name,
      version: row.version,
      summary: `Saved the draft of ${row.name} (version ${row.version}, ${steps(row.steps.length)}).`,
    },
  );
  return getProcedure(db, row.id);
}

/** Publishes the draft as a new version, after checking it again against today's actions. */
export async function publishProcedureDraft(
  db: Database,
  actor: Actor,
  id: string,
): Promise<ProcedureDetail> {
  const current = await rowById(db, id);
  if (draftStateOf(current) === 'published') {
    throw new TandemError(
      'conflict:procedure',
      `Nothing to publish: the draft of ${current.name} is version ${current.publishedVersion}, already published.`,
    );
  }
  await validated(db, {
    name: current.name,
    description: current.description,
    examples: current.examples,
    steps: current.steps,
  });
  const row = await publishProcedure(db, id);
  await audit(
    db,
    actor,
    'procedure.published',
    { type: 'procedure', id: row.id },
    {
      name: row.name,
      version: row.publishedVersion,
      summary: `Published version ${row.publishedVersion} of ${row.name} (${steps(row.steps.length)}).`,
    },
  );
  return getProcedure(db, row.id);
}

/**
 * Deletes a procedure and its versions. Refused while a conversation still open is in it, since
 * that customer could not finish; finished runs keep the procedure's name.
 */
export async function deleteProcedure(db: Database, actor: Actor, id: string): Promise<void> {
  const row = await rowById(db, id);
  const [active] = await db
    .select({ n: count() })
    .from(procedureRuns)
    .innerJoin(conversations, eq(conversations.id, procedureRuns.conversationId))
    .where(
      and(
        eq(procedureRuns.procedureId, id),
        eq(procedureRuns.status, 'active'),
        inArray(conversations.status, ['open', 'waiting']),
      ),
    );
  const inProgress = active?.n ?? 0;
  if (inProgress > 0) {
    throw new TandemError(
      'conflict:procedure',
      `${inProgress === 1 ? 'A conversation is' : `${inProgress} conversations are`} in ${row.name} right now; delete it once ${inProgress === 1 ? 'it has' : 'they have'} finished.`,
      { activeRuns: inProgress },
    );
  }
  await db.delete(procedures).where(eq(procedures.id, id));
  await audit(
    db,
    actor,
    'procedure.deleted',
    { type: 'procedure', id },
    {
      name: row.name,
      publishedVersion: row.publishedVersion,
      summary: `Deleted procedure ${row.name}${row.publishedVersion === null ? ' (never published)' : ` (published version ${row.publishedVersion})`}.`,
    },
  );
}
