import { z } from 'zod';
import type { CustomerTool, ToolAccess, ToolError } from '@/lib/ai/tools/define-tool';
import { defineTool } from '@/lib/ai/tools/define-tool';
import { toTermSet, wordsOf } from '@/lib/text/terms';
import { type ActionDeps, requestCall, runCall } from './calls';
import { type ActionInput, anchored, inputSchemaOf, modelInputs } from './definition';
import type { StoredAction } from './queries';
import { renderText } from './template';

/*
 * An admin's action as a tool of the same shape as the built-in ones, so the model runtime, the
 * offline model, the console and the tests treat it alike. The model sees only the inputs it may
 * fill; identity-bound ones are not in its schema at all and are filled from the stored customer
 * when the call runs. The tool never runs a write itself: it records the call, and the turn asks
 * the customer to confirm.
 */

export const actionOutputSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('completed'),
    callId: z.string(),
    input: z.record(z.string(), z.unknown()),
    /** Only the allowlisted response fields. */
    result: z.unknown(),
  }),
  z.object({ status: z.literal('awaiting_confirmation'), callId: z.string(), summary: z.string() }),
  z.object({ status: z.literal('awaiting_approval'), callId: z.string(), summary: z.string() }),
]);
export type ActionOutput = z.output<typeof actionOutputSchema>;

const UNVERIFIED =
  'I can only do that for a signed-in customer. Please sign in on the website, then ask again.';

export function actionAccess(action: Pick<StoredAction, 'effect' | 'verifiedOnly'>): ToolAccess {
  return action.verifiedOnly
    ? { effect: action.effect, customers: 'verified', unverifiedReply: UNVERIFIED }
    : { effect: action.effect, customers: 'any' };
}

function detectFor(action: StoredAction) {
  return (text: string) => {
    const found = detectActionRequest(action, text);
    return found && found.missing.length === 0 ? found.input : null;
  };
}

interface ActionStatics {
  inputSchema: ReturnType<typeof inputSchemaOf>;
  exampleRequest: string;
  exampleInput: Record<string, unknown>;
}

/*
 * A turn builds its action tools anew, but the schema and the worked example depend on the stored
 * action alone. Stored actions are handed out as the same objects until one changes (see
 * `enabledActions`), so they key this cache and a changed action is simply a new key.
 */
const statics = new WeakMap<StoredAction, ActionStatics>();

function staticsOf(action: StoredAction): ActionStatics {
  let hit = statics.get(action);
  if (!hit) {
    const exampleRequest = action.examples[0] ?? action.description;
    hit = {
      inputSchema: inputSchemaOf(action),
      exampleRequest,
      exampleInput: detectFor(action)(exampleRequest) ?? {},
    };
    statics.set(action, hit);
  }
  return hit;
}

export function actionTool(action: StoredAction, deps: ActionDeps): CustomerTool {
  const detect = detectFor(action);
  const reply = (output: ActionOutput) => replyFor(action, output);
  const { inputSchema, exampleRequest, exampleInput } = staticsOf(action);
  const exampleOutput: ActionOutput =
    action.effect === 'write'
      ? {
          status: 'awaiting_confirmation',
          callId: '00000000-0000-4000-8000-000000000000',
          summary: action.label,
        }
      : {
          status: 'completed',
          callId: '00000000-0000-4000-8000-000000000000',
          input: exampleInput,
          result: {},
        };
  return defineTool({
    name: action.name,
    label: action.label,
    description: action.description,
    inputSchema,
    outputSchema: actionOutputSchema,
    access: actionAccess(action),
    async run(input, ctx): Promise<ActionOutput | ToolError> {
      // Also checked here, not only by the AI SDK wrapper: a procedure may call run directly.
      if (action.verifiedOnly && !ctx.verified) return { error: UNVERIFIED };
      const call = await requestCall(deps, {
        action,
        conversationId: ctx.conversationId,
        customerId: ctx.customerId,
        input: input as Record<string, unknown>,
      });
      if (call.status === 'awaiting_confirmation') {
        return { status: 'awaiting_confirmation', callId: call.id, summary: call.summary };
      }
      if (call.status === 'awaiting_approval') {
        return { status: 'awaiting_approval', callId: call.id, summary: call.summary };
      }
      const { call: ran, output } = await runCall(deps, call.id);
      if (ran.status !== 'completed') {
        return { error: ran.error ?? 'That could not be done just now.' };
      }
      return {
        status: 'completed',
        callId: ran.id,
        input: ran.input,
        result: output ?? {},
      };
    },
    offline: { detect, reply },
    example: {
      request: exampleRequest,
      input: exampleInput,
      output: exampleOutput,
      reply: reply(exampleOutput),
    },
  });
}

/** How the offline model words a call's outcome: the admin's template, or the fields plainly. */
export function replyFor(
  action: Pick<StoredAction, 'replyTemplate' | 'label'>,
  output: ActionOutput,
): string {
  switch (output.status) {
    case 'awaiting_confirmation':
      return `Please confirm: ${output.summary}.`;
    case 'awaiting_approval':
      return `I've asked the team to approve this: ${output.summary}. I'll let you know here once they have.`;
    case 'completed': {
      if (action.replyTemplate) {
        return renderText(action.replyTemplate, { input: output.input, result: output.result });
      }
      const lines = describeFields(output.result);
      if (lines.length === 0) return `Done: ${action.label}.`;
      return lines.length === 1 ? `${lines[0]}.` : lines.map((line) => `- ${line}`).join('\n');
    }
  }
}

function describeFields(value: unknown, prefix = ''): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) {
    // A list reads as its items' values: "Items: Lamp; Desk", not each item's field names.
    const items = value.map((item) => leafValues(item).join(', '));
    return prefix ? [`${humanize(prefix)}: ${items.filter(Boolean).join('; ')}`] : items;
  }
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) =>
      describeFields(v, prefix ? `${prefix} ${key}` : key),
    );
  }
  return [`${humanize(prefix || 'value')}: ${String(value)}`];
}

function leafValues(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') return Object.values(value).flatMap(leafValues);
  return [String(value)];
}

function humanize(path: string): string {
  const words = path
    .replace(/[_.-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// ---- offline detection -------------------------------------------------------------------

/**
 * Whether `text` clearly asks for the action (it is close to one of the admin's example
 * phrasings) and which inputs it gives: values found by each input's pattern or choices.
 * `missing` names required inputs the text did not give, for a caller that can ask for them.
 */
export function detectActionRequest(
  action: Pick<StoredAction, 'examples' | 'inputs'>,
  text: string,
): { input: Record<string, unknown>; missing: string[] } | null {
  const inputs = modelInputs(action);
  if (!action.examples.some((example) => resembles(example, text, inputs))) return null;
  const input: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const spec of inputs) {
    const value = extractValue(spec, text);
    if (value !== undefined) input[spec.name] = value;
    else if (spec.required) missing.push(spec.name);
  }
  return { input, missing };
}

/** A word is a value, not part of the request, when an input's pattern takes it whole. */
function isValueWord(word: string, inputs: ActionInput[]): boolean {
  if (/^\d+$/.test(word)) return true;
  return inputs.some((i) => i.pattern && new RegExp(anchored(i.pattern).source, 'i').test(word));
}

// Both the content words and the wording must be close: "where is my order" and "how do I
// return an order" share their only content word, but not the way they ask.
const MIN_CONTENT_SHARE = 0.5;
const MIN_WORD_SHARE = 0.6;

function resembles(example: string, text: string, inputs: ActionInput[]): boolean {
  const keep = (word: string) => !isValueWord(word, inputs);
  const exampleWords = new Set(wordsOf(example).filter(keep));
  const textWords = new Set(wordsOf(text));
  const exampleTerms = [...toTermSet(example)].filter(keep);
  const textTerms = toTermSet(text);
  if (exampleWords.size === 0 || exampleTerms.length === 0) return false;
  const sharedTerms = exampleTerms.filter((t) => textTerms.has(t)).length;
  const sharedWords = [...exampleWords].filter((w) => textWords.has(w)).length;
  return (
    sharedTerms >= 1 &&
    sharedTerms / exampleTerms.length >= MIN_CONTENT_SHARE &&
    sharedWords / exampleWords.size >= MIN_WORD_SHARE
  );
}

function extractValue(spec: ActionInput, text: string): unknown {
  switch (spec.type) {
    case 'string': {
      if (!spec.pattern) return undefined;
      const whole = anchored(spec.pattern);
      for (const flags of ['g', 'gi']) {
        for (const match of text.matchAll(new RegExp(spec.pattern, flags))) {
          const found = match[0];
          if (found === '') continue;
          if (whole.test(found)) return found;
          // "a1001" for a pattern written for "A1001": what the customer meant.
          if (whole.test(found.toUpperCase())) return found.toUpperCase();
        }
      }
      return undefined;
    }
    case 'enum': {
      const lower = text.toLowerCase();
      return spec.choices?.find((choice) =>
        new RegExp(
          `(^|[^\\p{L}\\p{N}])${escapeRegExp(choice.toLowerCase())}($|[^\\p{L}\\p{N}])`,
          'u',
        ).test(lower),
      );
    }
    case 'number': {
      const match = /-?\d+(?:\.\d+)?/.exec(text);
      return match ? Number(match[0]) : undefined;
    }
    case 'boolean':
      return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
