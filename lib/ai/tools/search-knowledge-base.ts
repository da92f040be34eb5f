import { tool } from 'ai';
import { z } from 'zod';
import { truncateText } from '@/lib/text/truncate';
import type { ToolContext } from './context';

export const searchKnowledgeBase = (ctx: ToolContext) =>
  tool({
    description:
      'Search the help center for articles that answer a question. Use it when the provided sources do not cover what the customer asks.',
    inputSchema: z.object({ query: z.string().min(2).max(300) }),
    execute: async ({ query }) => {
      const { passages, confidence } = await ctx.kb.retrieve(query, { limit: 3 });
      return {
        confidence: Number(confidence.toFixed(2)),
        results: passages.map((p) => ({
          title: p.title,
          url: `/kb/${p.slug}`,
          section: p.sectionPath,
          text: truncateText(p.content, 800, ''),
        })),
      };
    },
  });
