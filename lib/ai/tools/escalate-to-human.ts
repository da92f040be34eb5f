import { tool } from 'ai';
import { z } from 'zod';
import type { ToolContext } from './context';

export const escalateToHumanTool = (ctx: ToolContext) =>
  tool({
    description:
      'Hand the conversation to a person on the support team when the customer asks for one or you cannot help.',
    inputSchema: z.object({ reason: z.string().min(3).max(300) }),
    execute: async ({ reason }) => ({ escalated: true, ...(await ctx.escalate(reason)) }),
  });
