import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4ToolResultOutput,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { streamingTokens } from '@/lib/text/terms';
import { composeAnswer, lastCustomerText } from './compose-answer';
import { detectToolIntent, replyToToolResult } from './tool-intents';

type Turn =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; toolCallId: string; toolName: string; input: string };

/**
 * What the model does this step: answer a tool's result, call a tool the customer clearly asked
 * for, or compose a grounded answer from the sources and profile in its prompt.
 */
function decideTurn(options: LanguageModelV4CallOptions): Turn {
  const last = options.prompt.at(-1);
  if (last?.role === 'tool') {
    const replies = last.content.flatMap((part) =>
      part.type === 'tool-result'
        ? [replyToToolResult(part.toolName, toolOutputValue(part.output))]
        : [],
    );
    return { kind: 'text', text: replies.join('\n\n') };
  }
  const available = new Set(
    (options.tools ?? []).flatMap((t) => (t.type === 'function' ? [t.name] : [])),
  );
  const intent = detectToolIntent(lastCustomerText(options.prompt), available);
  if (intent) {
    return {
      kind: 'tool-call',
      toolCallId: `call-${intent.toolName}-${Date.now().toString(36)}`,
      toolName: intent.toolName,
      input: JSON.stringify(intent.input),
    };
  }
  return { kind: 'text', text: composeAnswer(options.prompt) };
}

function toolOutputValue(output: LanguageModelV4ToolResultOutput): unknown {
  switch (output.type) {
    case 'json':
    case 'error-json':
      return output.value;
    case 'text':
      return output.value;
    case 'error-text':
      return { error: output.value };
    default:
      return { error: 'The tool did not run.' };
  }
}

/**
 * Tandem's built-in model: grounded, extractive answers composed from the help-center sources
 * in its prompt, and tool calls on clear requests, so a support desk works with no API key. It
 * reads the same prompt and tools a hosted model would, which keeps one pipeline for both.
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
      const turn = decideTurn(options);
      if (turn.kind === 'tool-call') {
        return {
          content: [
            {
              type: 'tool-call',
              toolCallId: turn.toolCallId,
              toolName: turn.toolName,
              input: turn.input,
            },
          ],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage: usageOf(options.prompt, turn.input),
          warnings: [],
        };
      }
      return {
        content: [{ type: 'text', text: turn.text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usageOf(options.prompt, turn.text),
        warnings: [],
      };
    },
    async doStream(options: LanguageModelV4CallOptions) {
      const turn = decideTurn(options);
      const parts = toStreamParts(turn, options.prompt);
      const signal = options.abortSignal;
      let i = 0;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async pull(controller) {
          if (signal?.aborted) {
            controller.error(signal.reason);
            return;
          }
          const part = parts[i++];
          if (part === undefined) {
            controller.close();
            return;
          }
          if (part.type === 'text-delta' && tokenDelayMs > 0) {
            await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
          }
          controller.enqueue(part);
        },
      });
      return { stream };
    },
  };
}

function toStreamParts(turn: Turn, prompt: LanguageModelV4Prompt): LanguageModelV4StreamPart[] {
  if (turn.kind === 'tool-call') {
    return [
      { type: 'stream-start', warnings: [] },
      {
        type: 'tool-call',
        toolCallId: turn.toolCallId,
        toolName: turn.toolName,
        input: turn.input,
      },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: usageOf(prompt, turn.input),
      },
    ];
  }
  const tokens = streamingTokens(turn.text);
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 'answer' },
    ...tokens.map((delta) => ({ type: 'text-delta' as const, id: 'answer', delta })),
    { type: 'text-end', id: 'answer' },
    {
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: usageOf(prompt, turn.text),
    },
  ];
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
