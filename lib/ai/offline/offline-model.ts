import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4ToolResultOutput,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { streamingTokens } from '@/lib/text/terms';
import { actionSpecs, detectActionIntent, replyToActionResult } from './action-intents';
import {
  answerBesideTools,
  composeAnswer,
  lastCustomerText,
  replyLanguage,
  type ToolResult,
} from './compose-answer';
import { OFFLINE_MODEL_ID, OFFLINE_PROVIDER } from './model-id';
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
  const actions = actionSpecs(options.tools);
  if (last?.role === 'tool') {
    const language = replyLanguage(options.prompt);
    const results: ToolResult[] = [];
    const replies = last.content.flatMap((part) => {
      if (part.type !== 'tool-result') return [];
      const output = toolOutputValue(part.output);
      const action = actions.get(part.toolName);
      // An action's outcome is the whole reply: what it did, or what it still needs, in its words.
      if (action) return [replyToActionResult(action, output)];
      results.push({ toolName: part.toolName, output });
      return [replyToToolResult(part.toolName, output, language)];
    });
    // "Is same-day delivery free with my plan?": the plan from the tool, the answer from the sources.
    const more = answerBesideTools(options.prompt, results, options.tools ?? []);
    return { kind: 'text', text: [...replies, more].filter(Boolean).join('\n\n') };
  }
  const available = new Set(
    (options.tools ?? []).flatMap((t) => (t.type === 'function' ? [t.name] : [])),
  );
  // The built-in tools first, then the admin's actions (whose examples may be looser).
  const intent =
    detectToolIntent(lastCustomerText(options.prompt), available) ??
    detectActionIntent(options.prompt, actions);
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
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL_ID,
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
      let textSent = false;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async pull(controller) {
          const part = parts[i++];
          if (part === undefined) {
            controller.close();
            return;
          }
          // The first words go out at once; the pause comes between pieces, so the server sends
          // each as its own chunk instead of the whole answer in one write.
          if (part.type === 'text-delta' && textSent && tokenDelayMs > 0) {
            await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
          }
          if (signal?.aborted) {
            controller.error(signal.reason);
            return;
          }
          textSent ||= part.type === 'text-delta';
          controller.enqueue(part);
        },
      });
      return { stream };
    },
  };
}

/**
 * Most pieces an answer streams in: word by word while it is short, several words a piece when
 * it is long, so the whole answer still lands within this many pauses (a third of a second at the
 * default pause) however long it is.
 */
const MAX_STREAMED_PIECES = 24;

/** The answer's words joined into at most {@link MAX_STREAMED_PIECES} consecutive pieces. */
function streamedPieces(text: string): string[] {
  const words = streamingTokens(text);
  const size = Math.ceil(words.length / MAX_STREAMED_PIECES);
  if (size <= 1) return words;
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += size) pieces.push(words.slice(i, i + size).join(''));
  return pieces;
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
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 'answer' },
    ...streamedPieces(turn.text).map((delta) => ({
      type: 'text-delta' as const,
      id: 'answer',
      delta,
    })),
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
