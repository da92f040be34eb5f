import { z } from 'zod';
import { truncateText } from '@/lib/text/truncate';
import { defineTool } from './define-tool';

const HELP_CENTER =
  '(?:help[- ]?cent(?:er|re)|knowledge[- ]?base|faqs?|help (?:articles|docs|pages))';
const SEARCH = new RegExp(
  [
    `\\b(?:search|check|look (?:in|through))\\s+(?:the |your )?${HELP_CENTER}\\s+(?:for|about|on)\\s+(.+)`,
    `\\b(?:find|show me|are there|any)\\s+(?:help[- ]?|support[- ]?)?(?:articles?|guides?)\\s+(?:about|on|for)\\s+(.+)`,
    '(?:在)?帮助中心(?:里)?(?:搜索|搜|查找)(?:一下)?(?:关于)?(.+)',
  ].join('|'),
  'i',
);

export const searchKnowledgeBase = defineTool({
  name: 'search_knowledge_base',
  label: 'Searched the help center',
  description:
    'Search the help center for articles that answer a question. Use it when the provided sources do not cover what the customer asks.',
  inputSchema: z.object({ query: z.string().min(2).max(300) }),
  outputSchema: z.object({
    confidence: z.number(),
    results: z.array(
      z.object({ title: z.string(), url: z.string(), section: z.string(), text: z.string() }),
    ),
  }),
  access: { effect: 'read', customers: 'any' },
  async run({ query }, ctx) {
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
  offline: {
    // Only an explicit "search the help center for …": any other question is answered from the
    // passages retrieval already put in the prompt.
    detect(text) {
      const match = SEARCH.exec(text);
      const query = match
        ?.slice(1)
        .find(Boolean)
        ?.replace(/[.!?。！？\s]+$/u, '');
      return query && query.length >= 2 ? { query: truncateText(query, 300) } : null;
    },
    reply({ results }, language) {
      const zh = language === 'zh';
      if (results.length === 0) {
        return zh
          ? '我在帮助中心没有找到相关的文章。能再具体说说您需要什么吗？'
          : "I couldn't find a help-center article about that. Could you tell me a little more about what you need?";
      }
      const lines = results.map(
        (r) => `- [${r.title}](${r.url})${r.section ? ` — ${r.section}` : ''}`,
      );
      return `${zh ? '我在帮助中心找到了这些内容：' : "Here's what I found in the help center:"}\n\n${lines.join('\n')}`;
    },
  },
  example: {
    request: 'Search the help center for refunds to a gift card.',
    input: { query: 'refunds to a gift card' },
    output: {
      confidence: 0.71,
      results: [
        {
          title: 'Refund policy',
          url: '/kb/refund-policy',
          section: 'How long refunds take',
          text: 'Refunds reach your original payment method within 5–10 business days.',
        },
      ],
    },
    reply:
      "Here's what I found in the help center:\n\n- [Refund policy](/kb/refund-policy) — How long refunds take",
  },
});
