import { z } from 'zod';
import { actionDefinitionSchema } from '@/lib/actions/definition';
import { actionSampleSchema, openApiSourceSchema } from '@/lib/actions/manage';

/** A whole definition; a secret header sent without a value keeps its stored one. */
export const actionBody = actionDefinitionSchema;

export const actionSwitchBody = z.object({ enabled: z.boolean() });

export const actionTestBody = actionSampleSchema;

/** Without `operations`, the document's operations to pick from; with them, those created. */
export const actionImportBody = openApiSourceSchema.extend({
  operations: z.array(z.string().trim().min(1).max(300)).min(1).max(200).optional(),
});
