import { z } from 'zod';
import { mcpConnectorSchema } from '@/lib/actions/definition';

/** A whole connector; a secret header sent without a value keeps its stored one. */
export const connectorBody = mcpConnectorSchema;

/** The tools to offer as actions, and whether to turn them on at once. */
export const connectorImportBody = z.object({
  tools: z.array(z.string().trim().min(1).max(200)).min(1).max(100),
  enable: z.boolean().default(false),
});
