import { procedureBodyWith, STEP_FIELD_NAMES } from '@/app/api/admin/procedures/schemas';
import { type FieldProblem, TandemError } from '@/lib/errors';
import type { ProcedureDefinition, ProcedureStep } from '@/lib/procedures/definition';
import type { ProcedureDetail, ProcedureSummary } from '@/lib/procedures/manage';

/*
 * Procedures as the public API shows and takes them: the admin pages' definition, with the
 * snake_case field names of the rest of /api/v1. Only named fields are renamed: an action's
 * input names and the values a step reads are the admin's own words and pass through as written.
 */

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const TO_API = new Map<string, string>(STEP_FIELD_NAMES.map((n) => [n, snake(n)]));
const FROM_API = new Map<string, string>(STEP_FIELD_NAMES.map((n) => [snake(n), n]));

function renameStep(step: Record<string, unknown>, names: Map<string, string>) {
  return Object.fromEntries(Object.entries(step).map(([k, v]) => [names.get(k) ?? k, v]));
}

export const apiProcedureBody = procedureBodyWith(snake);

/** The caller's definition with the domain's field names, to be validated there. */
export function definitionFromApi(body: Record<string, unknown>): unknown {
  const steps = Array.isArray(body.steps)
    ? body.steps.map((s: Record<string, unknown>) => renameStep(s, FROM_API))
    : body.steps;
  return { ...body, steps };
}

const stepsJson = (steps: ProcedureStep[]) =>
  steps.map((s) => renameStep(s as Record<string, unknown>, TO_API));

const definitionJson = (def: ProcedureDefinition) => ({ ...def, steps: stepsJson(def.steps) });

export function procedureJson(p: ProcedureSummary) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    examples: p.examples,
    step_count: p.stepCount,
    draft: p.draft,
    draft_version: p.draftVersion,
    published_version: p.publishedVersion,
    published_at: p.publishedAt,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export function procedureDetailJson(p: ProcedureDetail) {
  return {
    ...procedureJson(p),
    definition: definitionJson(p.definition),
    published: p.published ? definitionJson(p.published) : null,
    versions: p.versions.map((v) => ({
      version: v.version,
      current: v.current,
      published_at: v.publishedAt,
      published_by: v.publishedBy,
      description: v.description,
      examples: v.examples,
      steps: stepsJson(v.steps),
    })),
  };
}

/** A validation failure from the domain, with its fields named as the caller wrote them. */
export function withApiFieldNames(error: unknown): unknown {
  if (!(error instanceof TandemError)) return error;
  const details = error.details as { fields?: FieldProblem[] } | undefined;
  if (!details?.fields) return error;
  const fields = details.fields.map((f) => ({
    ...f,
    field: f.field
      .split('.')
      .map((part) => TO_API.get(part) ?? part)
      .join('.'),
  }));
  return new TandemError(
    error.code,
    `Invalid request. ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    { ...details, fields },
  );
}
