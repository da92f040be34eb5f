import { z } from 'zod';
import { atLeastOneField } from '@/lib/validation/at-least-one-field';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((value) => (value === '' ? null : value));

export const addUrlFields = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https address' }).max(2000),
  category: optionalText(80),
});

export const uploadFields = z.object({
  category: optionalText(80),
});

export const documentEditFields = atLeastOneField(
  z.object({
    title: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    body: z.string().trim().min(1, 'must not be empty').max(1_000_000).optional(),
    category: optionalText(80),
    summary: optionalText(500),
  }),
);

export const tryQuestionFields = z.object({
  question: z.string().trim().min(1, 'must not be empty').max(2000),
});

/** Documents as the admin list shows them. */
export const listQuery = z.object({
  q: z.string().max(200).optional(),
});
