import type {
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  SharedV4ProviderOptions,
} from '@ai-sdk/provider';
import { actionOutputSchema, detectActionRequest, replyFor } from '@/lib/actions/as-tool';
import { type ActionInput, modelInputs } from '@/lib/actions/definition';
import type { StoredAction } from '@/lib/actions/queries';
import { toTermSet, wordsOf } from '@/lib/text/terms';
import type { ToolIntent } from './tool-intents';

/*
 * Admin-defined actions reach the built-in model as tools like any other, carrying in their
 * provider options what it needs to use them without a language model: the example phrasings it
 * recognises a request by, the inputs it reads values for, and how it words a result. From the
 * call alone, so it needs no state of its own across turns or instances.
 */

export interface OfflineActionSpec {
  label: string;
  examples: string[];
  /** The inputs the model fills (identity-bound ones are never offered). */
  inputs: ActionInput[];
  replyTemplate: string;
}

const PROVIDER_KEY = 'tandem';

/** The provider options an action's tool carries for the built-in model. */
export function offlineActionOptions(
  action: Pick<StoredAction, 'label' | 'examples' | 'inputs' | 'replyTemplate'>,
): SharedV4ProviderOptions {
  const spec: OfflineActionSpec = {
    label: action.label,
    examples: action.examples,
    inputs: modelInputs(action),
    replyTemplate: action.replyTemplate,
  };
  return { [PROVIDER_KEY]: { action: JSON.parse(JSON.stringify(spec)) } };
}

/** The actions among a call's tools, by tool name, in the order they were offered. */
export function actionSpecs(
  tools: LanguageModelV4CallOptions['tools'],
): Map<string, OfflineActionSpec> {
  const specs = new Map<string, OfflineActionSpec>();
  for (const tool of tools ?? []) {
    if (tool.type !== 'function') continue;
    const spec = (tool.providerOptions?.[PROVIDER_KEY] as { action?: OfflineActionSpec })?.action;
    if (spec) specs.set(tool.name, spec);
  }
  return specs;
}

/** The question asking the customer for one input of an action, the same each time. */
export function askForInput(spec: Pick<OfflineActionSpec, 'label'>, input: ActionInput): string {
  const name = input.name.replace(/_/g, ' ');
  const parts = [`${spec.label}: what is the ${name}?`];
  if (input.description) parts.push(input.description);
  if (input.choices) parts.push(`Choose one: ${input.choices.join(', ')}.`);
  return parts.join(' ');
}

/** What a customer is told once an action's tool answered: its result, refusal or question. */
export function replyToActionResult(spec: OfflineActionSpec, output: unknown): string {
  const result = (output ?? {}) as { error?: unknown; status?: unknown; question?: unknown };
  if (typeof result.error === 'string') return result.error;
  if (result.status === 'needs_input' && typeof result.question === 'string')
    return result.question;
  const parsed = actionOutputSchema.safeParse(output);
  return parsed.success ? replyFor(spec, parsed.data) : 'Done.';
}

type Line = { role: 'customer' | 'assistant'; text: string };

function dialogueOf(prompt: LanguageModelV4Prompt): Line[] {
  return prompt.flatMap((message): Line[] => {
    if (message.role !== 'user' && message.role !== 'assistant') return [];
    const text = message.content
      .flatMap((part) => (part.type === 'text' ? [part.text] : []))
      .join('\n')
      .trim();
    return text ? [{ role: message.role === 'user' ? 'customer' : 'assistant', text }] : [];
  });
}

/** How many questions back a request may still be completed. */
const MAX_FOLLOW_UPS = 4;

/**
 * The action call the conversation clearly asks for: the customer's latest message resembles one
 * of an action's examples, or answers the question this model asked for one of its inputs (after
 * a request that did). Inputs come from every message of that exchange: values by each input's
 * pattern or choices, and a free-text input from the reply to the question that asked for it.
 * Inputs still missing are left out; the runtime asks for them.
 */
export function detectActionIntent(
  prompt: LanguageModelV4Prompt,
  specs: Map<string, OfflineActionSpec>,
): ToolIntent | null {
  const dialogue = dialogueOf(prompt);
  const last = dialogue.at(-1);
  if (last?.role !== 'customer') return null;
  // Several actions' examples may match one message ("cancel my order", "return my order"):
  // the one with an example closest to it wins.
  let best: (ToolIntent & { closeness: number }) | null = null;
  for (const [toolName, spec] of specs) {
    const found = clearRequest(spec, last.text);
    const closeness = found ? closestExample(spec, last.text) : 0;
    if (found && (!best || closeness > best.closeness)) {
      best = { toolName, input: found.input, closeness };
    }
  }
  if (best) return { toolName: best.toolName, input: best.input };
  for (const [toolName, spec] of specs) {
    const input = followUpInput(spec, dialogue);
    if (input) return { toolName, input };
  }
  return null;
}

/** The words of a phrase; values (order numbers and other words with digits) aside. */
const wordsBesideValues = (text: string) => wordsOf(text).filter((word) => !/\d/.test(word));

// Most of an example, in its own words and order: "What's the minimum order for free delivery on
// my plan?" shares "my order" with "Where is my order?", which is not asking where the order is.
const MIN_EXAMPLE_WORDS = 0.75;

/** How many of `example`'s words `text` says in the same order (longest common subsequence). */
function wordsInOrder(example: string[], text: string[]): number {
  let previous = new Array<number>(text.length + 1).fill(0);
  for (const word of example) {
    const row = [0];
    text.forEach((said, j) => {
      row.push(said === word ? previous[j]! + 1 : Math.max(previous[j + 1]!, row[j]!));
    });
    previous = row;
  }
  return previous[text.length]!;
}

/**
 * The action's inputs when `text` clearly asks for it: it resembles one of its examples (the
 * actions module's test), and says at least three quarters of some example's words in the
 * example's order, with every one of that example's content words.
 */
function clearRequest(spec: OfflineActionSpec, text: string) {
  const found = detectActionRequest(spec, text);
  if (!found) return null;
  const words = wordsBesideValues(text);
  const terms = toTermSet(text);
  const saysExample = spec.examples.some((example) => {
    const exampleWords = wordsBesideValues(example);
    return (
      exampleWords.length > 0 &&
      wordsInOrder(exampleWords, words) / exampleWords.length >= MIN_EXAMPLE_WORDS &&
      [...toTermSet(example)].every((term) => /\d/.test(term) || terms.has(term))
    );
  });
  return saysExample ? found : null;
}

/**
 * How close the action's nearest example is to `text`: the words they share (values aside), then
 * the share of the example's words, so "return the jars from my order" is closer to a return's
 * example than to "where is my order".
 */
function closestExample(spec: OfflineActionSpec, text: string): number {
  const words = toTermSet(text);
  return Math.max(
    0,
    ...spec.examples.map((example) => {
      const terms = [...toTermSet(example)].filter((term) => !/\d/.test(term));
      const shared = terms.filter((term) => words.has(term)).length;
      return terms.length ? shared + shared / terms.length : 0;
    }),
  );
}

function followUpInput(spec: OfflineActionSpec, dialogue: Line[]): Record<string, unknown> | null {
  const replies: { asked: ActionInput; text: string }[] = [];
  let i = dialogue.length - 1;
  while (replies.length < MAX_FOLLOW_UPS && i >= 2) {
    const question = dialogue[i - 1]!;
    const before = dialogue[i - 2]!;
    const asked =
      question.role === 'assistant'
        ? spec.inputs.find((input) => askForInput(spec, input) === question.text)
        : undefined;
    if (!asked || before.role !== 'customer') return null;
    replies.unshift({ asked, text: dialogue[i]!.text });
    i -= 2;
    if (!clearRequest(spec, before.text)) continue;
    // The request, then each reply: values are read from all of them together.
    const texts = [before.text, ...replies.map((r) => r.text)].join('\n');
    const input = detectActionRequest(spec, texts)?.input ?? {};
    for (const reply of replies) {
      const { asked: field } = reply;
      if (field.type === 'string' && !field.pattern && input[field.name] === undefined) {
        input[field.name] = reply.text.trim();
      }
    }
    return input;
  }
  return null;
}
