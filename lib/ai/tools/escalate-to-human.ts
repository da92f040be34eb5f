import { z } from 'zod';
import { asksForPerson } from '@/lib/classify/person-request';
import { truncateText } from '@/lib/text/truncate';
import { defineTool } from './define-tool';

export const escalateToHuman = defineTool({
  name: 'escalate_to_human',
  label: 'Handed to a person',
  description:
    'Hand the conversation to a person on the support team when the customer asks for one or you cannot help.',
  inputSchema: z.object({ reason: z.string().min(3).max(300) }),
  outputSchema: z.object({ escalated: z.literal(true), explanation: z.string() }),
  access: { effect: 'write', customers: 'any' },
  run: async ({ reason }, ctx) => ({
    escalated: true as const,
    ...(await ctx.escalate(reason)),
  }),
  offline: {
    // The same words the classifier treats as asking for a person, so the turn usually hands
    // off before any model runs; this covers a model step that meets them anyway.
    detect: (text) => (asksForPerson(text) ? { reason: truncateText(text, 300) } : null),
    reply: ({ explanation }) => explanation,
  },
  example: {
    request: 'Can I talk to a real person please?',
    input: { reason: 'Can I talk to a real person please?' },
    output: {
      escalated: true,
      explanation: "I'm bringing in a member of our team who can help with this.",
    },
    reply: "I'm bringing in a member of our team who can help with this.",
  },
});
