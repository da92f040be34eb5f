import { z } from 'zod';
import { ACTION_NAME, isRegExp } from '@/lib/actions/definition';
import { ESCALATION_REASONS } from '@/lib/conversations/escalation-reasons';
import { type FieldProblem, invalidFields, invalidInput } from '@/lib/errors';

/*
 * A procedure: how the business handles one kind of request, as ordered steps the runtime
 * follows (runner.ts) with or without a model. Stored as data in the `procedures` table; this
 * module only validates, including the checks a schema cannot express: unique step ids, branch
 * targets that exist, and every value set on every path before it is used.
 */

export const PROCEDURE_NAME = /^[a-z][a-z0-9_]{1,47}$/;
export const VALUE_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const STEP_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** A collected value or a path into an action's result: `order_number`, `order.order.status`. */
const VALUE_PATH = /^[a-z][a-z0-9_]{0,39}(?:\.[A-Za-z0-9_$-]+)*$/;
/** `{order_number}` or `{order.order.number}` in a step's text. */
export const TEXT_PLACEHOLDER = /\{([a-z][a-z0-9_]{0,39}(?:\.[A-Za-z0-9_$-]+)*)\}/g;
export const DEFAULT_MAX_ATTEMPTS = 3;

const CONDITION_OPS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'exists',
  'within_days',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

const operandSchema = z.union([
  z.string().max(500),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string().max(500), z.number()])).max(50),
]);

export type Condition =
  | { value: string; op: ConditionOp; operand?: z.infer<typeof operandSchema> }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z
      .object({
        value: z.string().regex(VALUE_PATH, 'must name a value, e.g. order.order.status'),
        op: z.enum(CONDITION_OPS),
        operand: operandSchema.optional(),
      })
      .strict()
      .superRefine((leaf, ctx) => {
        const needsOperand = leaf.op !== 'exists';
        if (needsOperand && leaf.operand === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['operand'],
            message: `${leaf.op} needs an operand`,
          });
        }
        if (leaf.op === 'in' && !Array.isArray(leaf.operand)) {
          ctx.addIssue({ code: 'custom', path: ['operand'], message: 'in needs a list' });
        }
        if (leaf.op === 'within_days' && typeof leaf.operand !== 'number') {
          ctx.addIssue({
            code: 'custom',
            path: ['operand'],
            message: 'within_days needs a number',
          });
        }
      }),
    z.object({ all: z.array(conditionSchema).min(1).max(20) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1).max(20) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

const text = z.string().trim().min(1).max(2000);
const stepId = z.string().regex(STEP_ID, 'must be lower-case letters, digits, - and _');

export const VALUE_TYPES = ['string', 'number', 'boolean', 'choice', 'date'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

const askStep = z
  .object({
    id: stepId,
    type: z.literal('ask'),
    value: z.string().regex(VALUE_NAME, 'must be lower-case letters, digits and _'),
    prompt: text,
    valueType: z.enum(VALUE_TYPES).default('string'),
    /** For strings: what a valid value looks like; the value is found inside the reply by it. */
    pattern: z.string().max(200).refine(isRegExp, 'must be a valid regular expression').optional(),
    choices: z.array(z.string().trim().min(1).max(100)).min(2).max(30).optional(),
    /** What to say before asking again when a reply holds no valid value. */
    retryPrompt: text.optional(),
    maxAttempts: z.number().int().min(1).max(10).default(DEFAULT_MAX_ATTEMPTS),
  })
  .strict()
  .superRefine((step, ctx) => {
    if (step.valueType === 'choice' && !step.choices) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'a choice needs choices' });
    }
    if (step.valueType !== 'choice' && step.choices) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'only a choice has choices' });
    }
    if (step.pattern && step.valueType !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'only a string has a pattern' });
    }
  });

export const stepSchema = z.discriminatedUnion('type', [
  z.object({ id: stepId, type: z.literal('say'), text }).strict(),
  askStep,
  z
    .object({
      id: stepId,
      type: z.literal('call'),
      action: z.string().regex(ACTION_NAME, 'must name an action'),
      /** Action input name → the collected value (or result path) it is given. */
      input: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), z.string().regex(VALUE_PATH)),
      /** The name the action's result is kept under, for later steps. */
      result: z.string().regex(VALUE_NAME, 'must be lower-case letters, digits and _'),
      /** Said when the customer declines the action's confirmation; the procedure then ends. */
      declinedText: text.optional(),
    })
    .strict(),
  z
    .object({
      id: stepId,
      type: z.literal('branch'),
      /** The first case whose condition holds decides the next step. */
      cases: z
        .array(z.object({ when: conditionSchema, goto: stepId }).strict())
        .min(1)
        .max(20),
      /** Where to go when no case holds; the following step when absent. */
      otherwise: stepId.optional(),
    })
    .strict(),
  z
    .object({
      id: stepId,
      type: z.literal('hand_off'),
      reason: z.enum(ESCALATION_REASONS),
      /** Told to the customer as the team is brought in. */
      text: text.optional(),
      /** For the agent who picks it up. */
      note: z.string().trim().max(500).optional(),
    })
    .strict(),
  z.object({ id: stepId, type: z.literal('end'), text: text.optional() }).strict(),
]);
export type ProcedureStep = z.output<typeof stepSchema>;
export type ProcedureStepInput = z.input<typeof stepSchema>;
export type AskStep = Extract<ProcedureStep, { type: 'ask' }>;

export const procedureSchema = z.object({
  name: z.string().regex(PROCEDURE_NAME, 'must be 2–48 lower-case letters, digits and _'),
  /** The kind of request it handles, for people and the model. */
  description: z.string().trim().min(1).max(2000),
  /** Phrasings of the request, for recognising it without a model. */
  examples: z.array(z.string().trim().min(1).max(300)).max(30).default([]),
  steps: z.array(stepSchema).min(1).max(100),
});
export type ProcedureDefinition = z.output<typeof procedureSchema>;
export type ProcedureDefinitionInput = z.input<typeof procedureSchema>;

/** The values a condition, a text or an action's input mapping reads (their first segment). */
function conditionValues(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(conditionValues);
  if ('any' in condition) return condition.any.flatMap(conditionValues);
  if ('not' in condition) return conditionValues(condition.not);
  return [condition.value];
}

function textValues(template: string | undefined): string[] {
  return [...(template ?? '').matchAll(TEXT_PLACEHOLDER)].map((m) => m[1]!);
}

const rootOf = (path: string) => path.split('.')[0]!;

/** Every value path a step reads, with the field it is read in. */
function valuesRead(step: ProcedureStep): { field: string; path: string }[] {
  switch (step.type) {
    case 'say':
    case 'end':
    case 'hand_off':
      return textValues(step.text).map((path) => ({ field: 'text', path }));
    case 'ask':
      return textValues(step.prompt).map((path) => ({ field: 'prompt', path }));
    case 'call':
      return Object.entries(step.input).map(([name, path]) => ({ field: `input.${name}`, path }));
    case 'branch':
      return step.cases.flatMap((c, i) =>
        conditionValues(c.when).map((path) => ({ field: `cases.${i}.when`, path })),
      );
  }
}

/** The value a step sets, if any. */
export function valueSet(step: ProcedureStep): string | null {
  if (step.type === 'ask') return step.value;
  if (step.type === 'call') return step.result;
  return null;
}

/** The steps that may follow a step: its successor, or a branch's targets; none after the last. */
export function successors(def: Pick<ProcedureDefinition, 'steps'>, index: number): number[] {
  const step = def.steps[index]!;
  if (step.type === 'hand_off' || step.type === 'end') return [];
  const next = index + 1 < def.steps.length ? [index + 1] : [];
  if (step.type !== 'branch') return next;
  const indexOf = (id: string) => def.steps.findIndex((s) => s.id === id);
  const targets = step.cases.map((c) => indexOf(c.goto));
  targets.push(step.otherwise ? indexOf(step.otherwise) : (next[0] ?? -1));
  return [...new Set(targets.filter((i) => i >= 0))];
}

/** The checks across steps; each problem names the step's field. */
function crossStepProblems(def: ProcedureDefinition): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const ids = new Map<string, number>();
  def.steps.forEach((step, i) => {
    if (ids.has(step.id)) {
      problems.push({ field: `steps.${i}.id`, message: `"${step.id}" is used by another step` });
    }
    ids.set(step.id, i);
  });
  def.steps.forEach((step, i) => {
    if (step.type !== 'branch') return;
    step.cases.forEach((c, j) => {
      if (!ids.has(c.goto)) {
        problems.push({ field: `steps.${i}.cases.${j}.goto`, message: `no step "${c.goto}"` });
      }
    });
    if (step.otherwise && !ids.has(step.otherwise)) {
      problems.push({ field: `steps.${i}.otherwise`, message: `no step "${step.otherwise}"` });
    }
    if (!step.otherwise && i === def.steps.length - 1) {
      problems.push({ field: `steps.${i}.otherwise`, message: 'the last step needs an otherwise' });
    }
  });
  const last = def.steps[def.steps.length - 1]!;
  if (last.type !== 'end' && last.type !== 'hand_off' && last.type !== 'branch') {
    problems.push({
      field: `steps.${def.steps.length - 1}.type`,
      message: 'the last step must end the procedure or hand it off',
    });
  }
  if (problems.length > 0) return problems;

  // Values set on every path to each step (a must-analysis over the step graph, to a fixpoint).
  const all = new Set(def.steps.map(valueSet).filter((v): v is string => v !== null));
  const setBefore: Set<string>[] = def.steps.map((_, i) => (i === 0 ? new Set() : new Set(all)));
  const reached = new Set<number>([0]);
  for (let changed = true; changed; ) {
    changed = false;
    def.steps.forEach((step, i) => {
      if (!reached.has(i)) return;
      const after = new Set(setBefore[i]!);
      const set = valueSet(step);
      if (set) after.add(set);
      for (const next of successors(def, i)) {
        if (!reached.has(next)) {
          reached.add(next);
          changed = true;
        }
        for (const value of setBefore[next]!) {
          if (!after.has(value)) {
            setBefore[next]!.delete(value);
            changed = true;
          }
        }
      }
    });
  }
  def.steps.forEach((step, i) => {
    if (!reached.has(i)) {
      problems.push({ field: `steps.${i}`, message: `step "${step.id}" can never be reached` });
      return;
    }
    for (const { field, path } of valuesRead(step)) {
      if (!setBefore[i]!.has(rootOf(path))) {
        problems.push({
          field: `steps.${i}.${field}`,
          message: `"${rootOf(path)}" is not asked for or produced on every path before this step`,
        });
      }
    }
  });
  return problems;
}

/** A valid procedure, or TandemError('bad_request:procedure') listing each field at fault. */
export function parseProcedure(input: unknown): ProcedureDefinition {
  const parsed = procedureSchema.safeParse(input);
  if (!parsed.success) throw invalidInput('procedure', parsed.error);
  const problems = crossStepProblems(parsed.data);
  if (problems.length > 0) throw invalidFields('procedure', problems);
  return parsed.data;
}
