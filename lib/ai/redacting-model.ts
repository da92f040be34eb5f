import type { LanguageModelV4, LanguageModelV4Message } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import { redactPii } from '@/lib/privacy/redact';

/**
 * The model behind a redaction step: every text in the prompt — system prompt (which carries
 * the customer's profile), messages, tool calls and results — has personal data replaced
 * before the request leaves for an external provider.
 */
export function withPiiRedaction(
  model: LanguageModelV4,
  patterns: readonly RegExp[] = [],
): LanguageModelV4 {
  const redact = (text: string) => redactPii(text, patterns).text;
  const redactDeep = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value);
    if (Array.isArray(value)) return value.map(redactDeep);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
    }
    return value;
  };
  const redactMessage = (message: LanguageModelV4Message): LanguageModelV4Message => {
    if (message.role === 'system') return { ...message, content: redact(message.content) };
    return {
      ...message,
      content: message.content.map((part) => redactDeep(part)),
    } as LanguageModelV4Message;
  };
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v4',
      transformParams: async ({ params }) => ({
        ...params,
        prompt: params.prompt.map(redactMessage),
      }),
    },
  });
}
