import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { toTermSet } from '@/lib/text/terms';
import { abstentionReply } from './prompts';
import { type PromptSource, parseSources } from './sources';

const MAX_EXCERPT_CHARS = 700;

/**
 * Tandem's built-in model: grounded, extractive answers composed from the help-center sources
 * in its prompt, so a support desk answers well with no API key. It reads the same prompt a
 * hosted model would, which keeps one pipeline for both.
 */
export function createOfflineModel({
  tokenDelayMs = 0,
}: {
  tokenDelayMs?: number;
} = {}): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: 'tandem',
    modelId: 'offline-extractive',
    supportedUrls: {},
    async doGenerate(options: LanguageModelV4CallOptions) {
      const text = composeAnswer(options.prompt);
      return {
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usageOf(options.prompt, text),
        warnings: [],
      };
    },
    async doStream(options: LanguageModelV4CallOptions) {
      const text = composeAnswer(options.prompt);
      const tokens = text.match(/\s*\S+/g) ?? [];
      const signal = options.abortSignal;
      let i = 0;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 'answer' });
        },
        async pull(controller) {
          if (signal?.aborted) {
            controller.error(signal.reason);
            return;
          }
          const token = tokens[i++];
          if (token !== undefined) {
            if (tokenDelayMs > 0) await new Promise((r) => setTimeout(r, tokenDelayMs));
            controller.enqueue({ type: 'text-delta', id: 'answer', delta: token });
            return;
          }
          controller.enqueue({ type: 'text-end', id: 'answer' });
          controller.enqueue({
            type: 'finish',
            finishReason: { unified: 'stop', raw: 'stop' },
            usage: usageOf(options.prompt, text),
          });
          controller.close();
        },
      });
      return { stream };
    },
  };
}

export function composeAnswer(prompt: LanguageModelV4Prompt): string {
  const sources = prompt.flatMap((m) => (m.role === 'system' ? parseSources(m.content) : []));
  const question = lastCustomerText(prompt);
  if (sources.length === 0 || !question.trim()) return abstentionReply();

  const wanted = toTermSet(question);
  const source = bestSource(sources, wanted);
  const body = excerpt(source.text, wanted);
  // A bare list reads oddly as a reply; its section heading says what the steps are for.
  const lead = /^(\d+\.|[-*])\s/.test(body) && source.section ? `**${source.section}**\n\n` : '';
  return `${lead}${body} [${source.index}]`;
}

function lastCustomerText(prompt: LanguageModelV4Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i]!;
    if (message.role === 'user') {
      return message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
    }
  }
  return '';
}

const overlap = (terms: Set<string>, wanted: Set<string>) =>
  [...wanted].filter((t) => terms.has(t)).length;

/** Sources arrive best-first from retrieval; a later one wins only if it covers more of the question. */
function bestSource(sources: PromptSource[], wanted: Set<string>): PromptSource {
  let best = sources[0]!;
  let bestScore = -1;
  for (const source of sources) {
    const score =
      overlap(toTermSet(`${source.section}\n${source.text}`), wanted) +
      0.5 * overlap(toTermSet(source.title), wanted);
    if (score > bestScore) {
      best = source;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The paragraph that answers best, with the list that follows it when it introduces one
 * ("To reset your password:" then the steps), kept whole up to a short reply's length.
 */
function excerpt(text: string, wanted: Set<string>): string {
  if (text.length <= MAX_EXCERPT_CHARS) return text.trim();
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
  let start = 0;
  let bestScore = -1;
  paragraphs.forEach((paragraph, i) => {
    const score = overlap(toTermSet(paragraph), wanted);
    if (score > bestScore) {
      start = i;
      bestScore = score;
    }
  });
  const picked = [paragraphs[start]!];
  for (const next of paragraphs.slice(start + 1)) {
    const introducesList = picked.at(-1)!.endsWith(':') || /^(\d+\.|[-*])\s/.test(next);
    if (!introducesList || picked.join('\n\n').length + next.length > MAX_EXCERPT_CHARS) break;
    picked.push(next);
  }
  return picked.join('\n\n');
}

function usageOf(prompt: LanguageModelV4Prompt, text: string): LanguageModelV4Usage {
  const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
  const input = prompt.reduce(
    (sum, m) =>
      sum +
      (typeof m.content === 'string'
        ? words(m.content)
        : m.content.reduce((s, p) => s + ('text' in p ? words(p.text) : 0), 0)),
    0,
  );
  const output = words(text);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: undefined },
  };
}
