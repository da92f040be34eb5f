import { z } from 'zod';
import { actionDefinitionSchema } from '@/lib/actions/definition';
import { actionSampleSchema, openApiSourceSchema } from '@/lib/actions/manage';

/** A whole definition; a secret header sent without a value keeps its stored one. */
export const actionBody = actionDefinitionSchema;

/** Turns the action on or off, or gives secret headers new values (write-only); not both. */
export const actionSwitchBody = z.union([
  z.strictObject({ enabled: z.boolean() }),
  z.strictObject({
    secrets: z
      .record(
        z.string().trim().min(1).max(100),
        z
          .string()
          .min(1, 'is empty')
          .max(4_000)
          .regex(/^[^\r\n]*$/, 'must be one line'),
      )
      .refine((values) => Object.keys(values).length > 0, 'names no header'),
  }),
]);

export const actionTestBody = actionSampleSchema;

/** Without `operations`, the document's operations to pick from; with them, those created. */
export const actionImportBody = openApiSourceSchema.extend({
  operations: z.array(z.string().trim().min(1).max(300)).min(1).max(200).optional(),
});
