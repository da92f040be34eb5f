import { z } from 'zod';
import { ESCALATION_REASONS } from '@/lib/conversations/escalation-reasons';

/** What a case expects the desk to do with the scripted conversation. */
export const TEST_KINDS = [
  'answer',
  'abstain',
  'escalate',
  'tool',
  'smalltalk',
  'procedure',
] as const;
export type TestKind = (typeof TEST_KINDS)[number];

/** How a procedure can stand after a conversation's last turn. */
export const PROCEDURE_OUTCOMES = ['completed', 'handed_off', 'left', 'active'] as const;

/** Longest customer message a case may send, as the widget's own default limit. */
const MAX_TURN_CHARS = 4000;
const MAX_TURNS = 20;

/** Patterns are matched case-insensitively, as the format says. */
export const factPattern = (source: string) => new RegExp(source, 'i');

const pattern = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      factPattern(source);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a valid regular expression (${(error as Error).message})`,
      });
    }
  });

/**
 * Strict: a misspelt key in an expectation would otherwise be dropped silently and the case
 * would test less than its author meant.
 */
export const expectationSchema = z
  .strictObject({
    kind: z.enum(TEST_KINDS),
    /** The help-center article (slug) the last reply must cite. */
    article: z.string().trim().min(1).nullable().default(null),
    /** Regular expressions the last reply must all match. */
    facts: z.array(pattern).default([]),
    /** Regular expressions the last reply must not match. */
    forbid: z.array(pattern).default([]),
    /** For `escalate`: the reason a person was brought in. */
    reason: z.enum(ESCALATION_REASONS).nullable().default(null),
    /** A tool the AI must have called during the turns, with at least these arguments. */
    tool: z
      .strictObject({
        name: z.string().trim().min(1),
        args: z.record(z.string(), z.unknown()).default({}),
      })
      .nullable()
      .default(null),
    /**
     * For `procedure`: the procedure that ran and, optionally, how it stood after the last turn
     * (`completed`, `handed_off`, `left`, or `active` when it still waits on the customer).
     */
    procedure: z
      .strictObject({
        name: z.string().trim().min(1),
        status: z.enum(PROCEDURE_OUTCOMES).nullable().default(null),
      })
      .nullable()
      // Absent rather than null on the other kinds, so their cases read and export as before.
      .optional(),
    /** The language the last reply must be in (ISO 639-1). */
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'must be a two-letter language code such as en or zh')
      .nullable()
      .default(null),
  })
  .superRefine((expect, ctx) => {
    if (expect.kind === 'tool' && !expect.tool) {
      ctx.addIssue({ code: 'custom', path: ['tool'], message: 'is required for a tool case' });
    }
    if (expect.kind === 'procedure' && !expect.procedure) {
      ctx.addIssue({
        code: 'custom',
        path: ['procedure'],
        message: 'is required for a procedure case',
      });
    }
    if (expect.procedure && expect.kind !== 'procedure') {
      ctx.addIssue({
        code: 'custom',
        path: ['procedure'],
        message: 'applies to procedure cases only',
      });
    }
    if (expect.reason && expect.kind !== 'escalate') {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'applies to escalate cases only',
      });
    }
  });

/**
 * One case, as one line of a JSON Lines suite. Keys beyond these (a note on why the case fails
 * today, tags) are kept as written and exported again.
 */
export const deskTestCaseSchema = z.looseObject({
  id: z.string().trim().min(1).max(100).regex(/^\S+$/, 'must not contain spaces'),
  /** `new` for a new anonymous customer, or the id of a site user the desk knows. */
  customer: z.string().trim().min(1).max(200).default('new'),
  turns: z.array(z.string().trim().min(1).max(MAX_TURN_CHARS)).min(1).max(MAX_TURNS),
  expect: expectationSchema,
});

export type DeskTestCase = z.output<typeof deskTestCaseSchema>;
export type DeskTestCaseInput = z.input<typeof deskTestCaseSchema>;
export type Expectation = DeskTestCase['expect'];

export const NEW_CUSTOMER = 'new';
