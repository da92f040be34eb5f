import { z } from 'zod';
import { SHORTCUT_PATTERN } from '@/lib/canned-responses/canned-responses';

export const password = z.string().min(8, 'must be at least 8 characters').max(200);

export const cannedResponseFields = z.object({
  shortcut: z
    .string()
    .trim()
    .toLowerCase()
    .regex(SHORTCUT_PATTERN, 'use lowercase letters, digits and dashes (up to 32)'),
  title: z.string().trim().min(1, 'must not be empty').max(120),
  content: z.string().trim().min(1, 'must not be empty').max(4000),
});

/** The dashboard's range (`days`, or `from` and `to`); `parseDateRange` judges the values. */
export const dateRangeQuery = z.object({
  days: z.string().max(16).optional(),
  from: z.string().max(32).optional(),
  to: z.string().max(32).optional(),
});
