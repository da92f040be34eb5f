import { z } from 'zod';
import { CLASSIFIER_KINDS, MAX_EXAMPLE_CHARS } from '@/lib/settings/classifier-admin';
import { atLeastOneField } from '@/lib/validation/at-least-one-field';

export const kind = z.enum(CLASSIFIER_KINDS);

const name = z.string().trim().min(1, 'must not be empty').max(80);
const description = z.string().trim().max(300).nullable().optional();

export const newCategory = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'use lowercase letters, digits and underscores (up to 40)'),
  name,
  description,
});

export const categoryChanges = atLeastOneField(z.object({ name: name.optional(), description }));

export const newExample = z.object({
  kind,
  label: z.string().trim().min(1, 'must not be empty'),
  text: z.string().trim().min(1, 'must not be empty').max(MAX_EXAMPLE_CHARS),
});

export const examplesQuery = z.object({
  kind,
  label: z.string().trim().min(1, 'must not be empty'),
});

export const exampleImport = z.object({
  kind,
  jsonl: z.string().min(1, 'must not be empty'),
});

export const retrainRequest = z.object({ kind: kind.optional() });

/** JSON Lines imports are larger than other admin bodies. */
export const IMPORT_BODY = 2 * 1024 * 1024;
