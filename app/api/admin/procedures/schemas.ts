import { z } from 'zod';
import { VALUE_TYPES } from '@/lib/procedures/definition';

/*
 * A procedure as a request carries it: the shape for documentation, the fuzz suite and a first
 * check. Objects pass unknown keys through, so the domain (parseProcedure, with its strict
 * schema and the checks across steps) reports every field at fault rather than dropping one.
 */

const id = z
  .string()
  .max(40)
  .describe('Lower-case letters, digits, - and _; unique in the procedure.');
const text = z.string().max(2000);
const condition = z
  .record(z.string(), z.unknown())
  .describe(
    '{ value, op, operand }: value names a collected value or a path into an action result; op is eq, neq, lt, lte, gt, gte, in, exists or within_days. Or { all: [..] }, { any: [..] }, { not: .. }.',
  );

/** The step fields with two-word names; /api/v1 spells them in snake_case. */
export const STEP_FIELD_NAMES = [
  'valueType',
  'retryPrompt',
  'maxAttempts',
  'declinedText',
] as const;
type StepFieldName = (typeof STEP_FIELD_NAMES)[number];

function stepBody(field: (name: StepFieldName) => string) {
  return z.discriminatedUnion('type', [
    z.looseObject({ id, type: z.literal('say'), text }),
    z.looseObject({
      id,
      type: z.literal('ask'),
      value: z.string().max(40).describe('The name the answer is kept under.'),
      prompt: text,
      [field('valueType')]: z.enum(VALUE_TYPES).optional(),
      pattern: z.string().max(200).optional().describe('For strings: a regular expression.'),
      choices: z.array(z.string().max(100)).max(30).optional().describe('For choices.'),
      [field('retryPrompt')]: text.optional(),
      [field('maxAttempts')]: z.number().int().optional(),
    }),
    z.looseObject({
      id,
      type: z.literal('call'),
      action: z.string().max(48).describe('The name of a defined action.'),
      input: z
        .record(z.string().max(40), z.string().max(200))
        .describe('Action input name → the collected value (or result path) it is given.'),
      result: z.string().max(40).describe('The name the action result is kept under.'),
      [field('declinedText')]: text.optional(),
    }),
    z.looseObject({
      id,
      type: z.literal('branch'),
      cases: z.array(z.looseObject({ when: condition, goto: id })).max(20),
      otherwise: id.optional(),
    }),
    z.looseObject({
      id,
      type: z.literal('hand_off'),
      reason: z.string().max(40),
      text: text.optional(),
      note: z.string().max(500).optional(),
    }),
    z.looseObject({ id, type: z.literal('end'), text: text.optional() }),
  ]);
}

/** A procedure, its step fields named by `field` (as they are, or as /api/v1 spells them). */
export function procedureBodyWith(field: (name: StepFieldName) => string = (name) => name) {
  return z.looseObject({
    name: z.string().max(48).describe('2–48 lower-case letters, digits and _; fixed once created.'),
    description: text.describe('The kind of request it handles.'),
    examples: z.array(z.string().max(300)).max(30).optional().describe('Phrasings of the request.'),
    steps: z.array(stepBody(field)).max(100),
  });
}

export const procedureBody = procedureBodyWith();
