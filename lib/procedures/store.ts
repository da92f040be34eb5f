import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { type PublishedProcedure, procedureRuns, procedures } from '@/db/schema';
import { TandemError } from '@/lib/errors';
import { type ProcedureDefinition, parseProcedure } from './definition';
import {
  advance,
  type ProcedureEffect,
  type ProcedureEvent,
  type RunOptions,
  type RunState,
  startProcedure,
} from './runner';

/*
 * Procedures and their runs in the database. A run is the runner's state on a conversation, so
 * any app instance can carry on with the next turn; each advance is guarded by the step and
 * attempt count it was computed from, so two instances handling one conversation cannot both win.
 */

type ProcedureRow = typeof procedures.$inferSelect;
export type ProcedureRunRow = typeof procedureRuns.$inferSelect;

/** A procedure at one version, ready to run. */
export interface LoadedProcedure {
  id: string;
  version: number;
  definition: ProcedureDefinition;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
}

/** Creates a procedure, or replaces the draft of the one with its name; the published version is kept. */
export async function saveDraft(db: Database, input: unknown): Promise<ProcedureRow> {
  const def = parseProcedure(input);
  const [row] = await db
    .insert(procedures)
    .values({
      name: def.name,
      description: def.description,
      examples: def.examples,
      steps: def.steps,
    })
    .onConflictDoUpdate({
      target: procedures.name,
      set: { description: def.description, examples: def.examples, steps: def.steps },
    })
    .returning();
  return row!;
}

/**
 * Publishes the draft, its description and example phrasings as well as its steps, as its
 * version; the next draft is one version on.
 */
export async function publishProcedure(db: Database, id: string): Promise<ProcedureRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(procedures).where(eq(procedures.id, id)).for('update');
    if (!row) throw new TandemError('not_found:procedure', 'No such procedure.');
    const version = row.version;
    const published: PublishedProcedure = {
      description: row.description,
      examples: row.examples,
      steps: row.steps,
    };
    const [updated] = await tx
      .update(procedures)
      .set({
        status: 'published',
        publishedDescription: published.description,
        publishedExamples: published.examples,
        publishedSteps: published.steps,
        publishedVersion: version,
        history: { ...row.history, [version]: published },
        version: version + 1,
        publishedAt: new Date(),
      })
      .where(eq(procedures.id, id))
      .returning();
    return updated!;
  });
}

function definitionOf(row: ProcedureRow, version: PublishedProcedure): ProcedureDefinition {
  return { name: row.name, ...version };
}

/** The draft as a version: what it would publish. */
export const draftOf = (row: ProcedureRow): PublishedProcedure => ({
  description: row.description,
  examples: row.examples,
  steps: row.steps,
});

/** The version customers get now, or null when it has none. */
export function publishedOf(row: ProcedureRow): PublishedProcedure | null {
  if (!row.publishedSteps || row.publishedVersion === null) return null;
  return {
    description: row.publishedDescription ?? row.description,
    examples: row.publishedExamples ?? row.examples,
    steps: row.publishedSteps,
  };
}

function loadedPublished(row: ProcedureRow): LoadedProcedure | null {
  const published = publishedOf(row);
  return published
    ? { id: row.id, version: row.publishedVersion!, definition: definitionOf(row, published) }
    : null;
}

/** The published version of a procedure by name, or null when it has none. */
export async function loadPublished(db: Database, name: string): Promise<LoadedProcedure | null> {
  const [row] = await db.select().from(procedures).where(eq(procedures.name, name));
  return row ? loadedPublished(row) : null;
}

/** The draft, for the test suites to run before it is published. */
export async function loadDraft(db: Database, name: string): Promise<LoadedProcedure | null> {
  const [row] = await db.select().from(procedures).where(eq(procedures.name, name));
  return row
    ? { id: row.id, version: row.version, definition: definitionOf(row, draftOf(row)) }
    : null;
}

/** A procedure at the version a run started on: a published one from its history, or the draft. */
async function loadVersion(db: Database, id: string, version: number): Promise<LoadedProcedure> {
  const [row] = await db.select().from(procedures).where(eq(procedures.id, id));
  const at = row?.history[version] ?? (row?.version === version ? draftOf(row) : undefined);
  if (!row || !at) {
    throw new TandemError(
      'not_found:procedure',
      'The procedure this run follows no longer exists.',
    );
  }
  return { id, version, definition: definitionOf(row, at) };
}

function stateOf(run: ProcedureRunRow): RunState {
  return {
    stepId: run.stepId,
    values: run.values,
    attempts: run.attempts,
    status: run.status,
    waiting: run.waiting === 'reply' || run.waiting === 'action' ? run.waiting : null,
  };
}

function columnsOf(state: RunState) {
  return {
    stepId: state.stepId,
    values: state.values,
    attempts: state.attempts,
    status: state.status,
    waiting: state.waiting,
    finishedAt: state.status === 'active' ? null : new Date(),
  };
}

export interface RunStep {
  run: ProcedureRunRow;
  effects: ProcedureEffect[];
}

/** Starts a procedure on a conversation; a conversation already in one is a conflict. */
export async function startRun(
  db: Database,
  params: { conversationId: string; procedure: LoadedProcedure; known?: Record<string, unknown> },
  options: RunOptions = {},
): Promise<RunStep> {
  const { state, effects } = startProcedure(params.procedure.definition, params.known, options);
  try {
    const [run] = await db
      .insert(procedureRuns)
      .values({
        conversationId: params.conversationId,
        procedureId: params.procedure.id,
        procedureName: params.procedure.definition.name,
        version: params.procedure.version,
        ...columnsOf(state),
      })
      .returning();
    return { run: run!, effects };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new TandemError(
        'conflict:procedure_run',
        'The conversation is already in a procedure.',
      );
    }
    throw error;
  }
}

/** The procedure a conversation is in, if any. */
export async function loadActiveRun(
  db: Database,
  conversationId: string,
): Promise<ProcedureRunRow | null> {
  const [run] = await db
    .select()
    .from(procedureRuns)
    .where(
      and(eq(procedureRuns.conversationId, conversationId), eq(procedureRuns.status, 'active')),
    );
  return run ?? null;
}

/**
 * Applies one event to a run on the version it started on and stores the result, if the run is
 * still at the step and attempt it was read at (`expected`); otherwise conflict:procedure_run.
 */
export async function advanceRun(
  db: Database,
  run: ProcedureRunRow,
  event: ProcedureEvent,
  options: RunOptions = {},
): Promise<RunStep> {
  if (!run.procedureId) {
    throw new TandemError(
      'not_found:procedure',
      'The procedure this run follows no longer exists.',
    );
  }
  const procedure = await loadVersion(db, run.procedureId, run.version);
  const { state, effects } = advance(procedure.definition, stateOf(run), event, options);
  const [updated] = await db
    .update(procedureRuns)
    .set({ ...columnsOf(state), updatedAt: sql`now()` })
    .where(
      and(
        eq(procedureRuns.id, run.id),
        eq(procedureRuns.status, 'active'),
        eq(procedureRuns.stepId, run.stepId),
        eq(procedureRuns.attempts, run.attempts),
      ),
    )
    .returning();
  if (!updated) {
    throw new TandemError('conflict:procedure_run', 'The procedure moved on in another turn.');
  }
  return { run: updated, effects };
}

/** Every procedure with a published version, as it runs now: what a turn may start. */
export async function listPublished(db: Database): Promise<LoadedProcedure[]> {
  const rows = await db.select().from(procedures).where(eq(procedures.status, 'published'));
  return rows.flatMap((row) => loadedPublished(row) ?? []);
}

/**
 * Publishes every procedure's draft that differs from what customers get: for a test sandbox
 * (lib/server/sandbox.ts) only, so its suites run the drafts before the live desk publishes them.
 */
export async function publishDraftsForTesting(db: Database): Promise<string[]> {
  const rows = await db.select().from(procedures);
  const changed = rows.filter((row) => {
    const published = publishedOf(row);
    return !published || !sameVersion(published, draftOf(row));
  });
  for (const row of changed) await publishProcedure(db, row.id);
  return changed.map((row) => row.name);
}

/** jsonb may hand keys back in another order than they were written; compare by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether two versions say and do the same: description, example phrasings and steps. */
export function sameVersion(a: PublishedProcedure, b: PublishedProcedure): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Ends a run from outside its steps: the conversation went to a person (`handed_off`) or the
 * customer clearly moved on to something else (`left`). A run already finished is left as it is.
 */
export async function endRun(
  db: Database,
  run: ProcedureRunRow,
  status: 'handed_off' | 'left',
): Promise<ProcedureRunRow | null> {
  const [ended] = await db
    .update(procedureRuns)
    .set({ status, waiting: null, finishedAt: new Date(), updatedAt: sql`now()` })
    .where(and(eq(procedureRuns.id, run.id), eq(procedureRuns.status, 'active')))
    .returning();
  return ended ?? null;
}

/** A procedure's definition at the version a run follows, for phrasing or showing its steps. */
export async function loadRunProcedure(
  db: Database,
  run: ProcedureRunRow,
): Promise<LoadedProcedure | null> {
  if (!run.procedureId) return null;
  return loadVersion(db, run.procedureId, run.version).catch((error: unknown) => {
    if (error instanceof TandemError && error.status === 404) return null;
    throw error;
  });
}
