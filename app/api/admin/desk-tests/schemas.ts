import { z } from 'zod';
import { MAX_ATTEMPTS } from '@/lib/server/desk-tests';

export { IMPORT_BODY } from '../classifier/schema';

export const caseImport = z.object({
  /** The suite as JSON Lines, one case per line. */
  jsonl: z.string().min(1, 'must not be empty'),
  /** Delete the cases the file does not have, and take the file's order. */
  replace: z.boolean().default(false),
});

export const runRequest = z.object({
  /** The cases to run; all of them when left out. */
  caseIds: z.array(z.string().trim().min(1).max(100)).min(1).max(1000).optional(),
  /** Attempts per case; by default one with the offline model, three with a sampling model. */
  k: z.number().int().min(1).max(MAX_ATTEMPTS).optional(),
  /** Run each procedure's draft instead of its published version, to test it before publishing. */
  procedures: z.enum(['published', 'drafts']).optional(),
});

export const runsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const runQuery = z.object({
  /** `progress`: the run without its results, for a progress bar to poll. */
  view: z.enum(['full', 'progress']).default('full'),
});

export const diffQuery = z.object({
  /** The run to compare with; by default the last completed run started before this one. */
  previous: z.uuid().optional(),
});

export const draftQuery = z.object({ conversationId: z.uuid() });
