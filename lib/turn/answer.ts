import { isStepCount, type ModelMessage, streamText, type ToolSet } from 'ai';
import type { Citation, ToolActivity } from '@/db/schema';
import { abstentionReply, answerInstructions } from '@/lib/ai/prompts';
import { citedIndexes } from '@/lib/ai/sources';
import type { Classification } from '@/lib/classify/schema';
import type { AppContext } from '@/lib/context';
import type { Message } from '@/lib/conversations/queries';
import type { Passage } from '@/lib/kb/types';
import type { ConversationMemory } from '@/lib/memory/memory';
import { aiTelemetry } from '@/lib/observability/telemetry';
import type { AssistantIdentity } from '@/lib/settings/settings';
import { streamingTokens } from '@/lib/text/terms';
import type { TurnEventSink } from './turn-events';

const MAX_MODEL_STEPS = 3;

export interface AnswerInput {
  identity: AssistantIdentity;
  classification: Classification;
  passages: Passage[];
  memory: ConversationMemory;
  profile: Record<string, unknown>;
  tools: ToolSet;
}

export interface Answer {
  text: string;
  citations: Citation[];
  tools: ToolActivity[];
}

/**
 * The model's grounded answer, with tools, as events: its text as it streams, each tool call and
 * result, then the articles it cites. A model that says nothing gets the honest abstention.
 */
export async function streamAnswer(
  ctx: Pick<AppContext, 'model' | 'config'>,
  emit: TurnEventSink,
  input: AnswerInput,
): Promise<Answer> {
  const result = streamText({
    model: ctx.model,
    instructions: answerInstructions(input.identity, input.passages, {
      profile: input.profile,
      summary: input.memory.summary,
      language: input.classification.language,
      reading: input.classification,
    }),
    messages: toModelMessages(input.memory.window),
    tools: input.tools,
    stopWhen: isStepCount(MAX_MODEL_STEPS),
    telemetry: aiTelemetry(ctx.config, 'answer'),
  });
  const steps: string[] = [];
  let step = '';
  const tools: ToolActivity[] = [];
  for await (const part of result.fullStream) {
    switch (part.type) {
      case 'text-delta':
        step += part.text;
        emit({ type: 'text', part: part.id, delta: part.text });
        break;
      case 'finish-step':
        if (step) steps.push(step);
        step = '';
        break;
      case 'tool-call':
        emit({
          type: 'tool-call',
          toolCallId: part.toolCallId,
          tool: part.toolName,
          input: part.input,
        });
        break;
      case 'tool-result':
        tools.push({ tool: part.toolName, input: part.input, output: part.output });
        emit({
          type: 'tool-result',
          toolCallId: part.toolCallId,
          tool: part.toolName,
          output: part.output,
        });
        break;
      case 'error':
        throw part.error;
    }
  }
  if (step) steps.push(step);
  const text = steps.join('\n\n');
  const citations = citationsFor(text, input.passages);
  for (const citation of citations) emit({ type: 'citation', citation });
  if (text) return { text, citations, tools };
  return {
    text: emitText(emit, 'abstention', abstentionReply(input.classification.language)),
    citations,
    tools,
  };
}

/** Emits a fixed reply word by word, as a model's would arrive, and returns it. */
export function emitText(emit: TurnEventSink, part: string, text: string): string {
  for (const delta of streamingTokens(text)) emit({ type: 'text', part, delta });
  return text;
}

function toModelMessages(history: Message[]): ModelMessage[] {
  return history.flatMap((m): ModelMessage[] => {
    if (m.role === 'customer') {
      const files = (m.metadata.attachments ?? []).map((a) =>
        a.excerpt
          ? `[Attached ${a.filename}]\n${a.excerpt}`
          : `[Attached ${a.filename} (${a.mediaType}); its content cannot be read here]`,
      );
      return [{ role: 'user', content: [m.content, ...files].join('\n\n') }];
    }
    if (m.role === 'ai' || m.role === 'agent') return [{ role: 'assistant', content: m.content }];
    return [];
  });
}

/** The articles an answer cites with [n]; sources the answer never cites are not claimed. */
function citationsFor(answer: string, passages: Passage[]): Citation[] {
  const bySlug = new Map<string, Citation>();
  for (const n of citedIndexes(answer)) {
    const p = passages[n - 1];
    if (p && !bySlug.has(p.slug)) {
      bySlug.set(p.slug, {
        documentId: p.documentId,
        slug: p.slug,
        title: p.title,
        section: p.sectionPath || undefined,
      });
    }
  }
  return [...bySlug.values()];
}
