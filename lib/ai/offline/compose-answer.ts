import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { detectLanguage } from '@/lib/classify/language';
import { findSynonyms } from '@/lib/kb/support-synonyms';
import { isCjk, toTerms, wordsOf } from '@/lib/text/terms';
import { abstentionReply } from '../prompts';
import { parseProfile, parseReplyContext, parseSources, type ReplyContext } from '../sources';
import { readQuestion, type ScoredUnit, scoreUnits } from './answer-match';
import { chooseUnits, withEarlierSteps } from './choose-units';
import { customerDetails } from './customer-details';
import { asksAboutOtherShop } from './other-shops';
import { parseSource } from './passage-units';
import { renderAnswer } from './render-answer';
import { replyPhrases } from './reply-phrases';

// The customer says they are in a hurry; the classification's priority also rises for reasons
// that are not theirs (an account past due).
const URGENT =
  /\b(?:urgent(?:ly)?|asap|emergency|immediately|right now|right away)\b|紧急|急用|马上|尽快|立刻/i;

const NAME_QUESTION =
  /\b(?:what(?:'s| is) my name|do you (?:know|remember) (?:me|my name|who i am))\b|我叫什么/i;

/** Short enough that a Chinese framing around an English excerpt still reads as Chinese. */
const MAX_FOREIGN_UNITS = 2;

export interface ComposeOptions {
  /** What tools said about the customer this turn (an account lookup's plan). */
  facts?: readonly unknown[];
  /**
   * Only the answer, or nothing when no part of the passages answers the question well: for
   * adding to a tool's reply, where a weak match would only be noise.
   */
  onlyIfConfident?: { ignoreTerms: ReadonlySet<string> };
}

/** A grounded reply from what the prompt holds: help-center sources, or the customer's profile. */
export function composeAnswer(prompt: LanguageModelV4Prompt, options: ComposeOptions = {}): string {
  const system = prompt.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n');
  const asked = customerTexts(prompt);
  const question = asked.at(-1) ?? '';
  const context = parseReplyContext(system);
  if (!context.acknowledge && URGENT.test(question)) context.acknowledge = 'urgency';
  const language = context.language ?? detectLanguage(question).code;
  const profile = parseProfile(system);
  if (NAME_QUESTION.test(question)) {
    const { name } = profile;
    return typeof name === 'string'
      ? `Your name is ${name}.`
      : "I don't know your name yet. If you tell me, I'll remember it for next time.";
  }
  const sources = parseSources(system);
  // "my Shopee order": the articles share its words, not the business it is about.
  const otherShop = asksAboutOtherShop(question, {
    businessName: businessName(system) ?? '',
    passages: sources.map((s) => `${s.title}\n${s.section}\n${s.text}`),
  });
  if (sources.length === 0 || !question.trim() || otherShop) {
    return options.onlyIfConfident ? '' : abstentionReply(language);
  }

  const details = customerDetails({
    messages: asked,
    facts: [profile.siteContext, ...(options.facts ?? [])],
  });
  const parsed = sources.map(parseSource);
  const asking = options.onlyIfConfident
    ? without(question, options.onlyIfConfident.ignoreTerms)
    : question;
  const read = readQuestion(asking, parsed, {
    earlier: asked.slice(0, -1),
    ignore: businessTerms(system),
    problem: context.problem,
  });
  const scoring = scoreUnits(read, parsed);
  const scored = scoring.units;
  const best = Math.max(...scored.map((s) => s.score));
  if (options.onlyIfConfident && best < CONFIDENT_SCORE) return '';

  const said = new Set(toTerms(asked.join('\n')));
  const choice = chooseUnits(scoring, details, said, new Set(toTerms(asking)));
  const { relevant } = choice;
  const chosen = read.asks.has('steps') ? withEarlierSteps(choice.chosen, scored) : choice.chosen;
  const foreign = language === 'zh' && !chosen.some((s) => isChineseText(s.unit.text));
  const body = renderAnswer(
    foreign ? chosen.slice(0, MAX_FOREIGN_UNITS) : chosen,
    scored,
    relevant,
    {
      details,
      said,
      compact: foreign,
      topicOnly: scoring.topicOnly,
    },
  );
  return frame(body, {
    language,
    context,
    foreign,
    chosen,
    extra: Boolean(options.onlyIfConfident),
  });
}

const CONFIDENT_SCORE = 0.7;

/** The language the prompt asks the answer in; the customer's last message's when it does not say. */
export function replyLanguage(prompt: LanguageModelV4Prompt): string {
  const system = prompt.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n');
  return parseReplyContext(system).language ?? detectLanguage(lastCustomerText(prompt)).code;
}

export interface ToolResult {
  toolName: string;
  output: unknown;
}

/**
 * What the sources add to tools' answers: the customer who asks "is same-day delivery free with
 * my plan?" gets their plan from the account tool and, from the help center, what that plan
 * gives — read for the part of the question the tools did not answer, and only when the sources
 * answer it well. Empty otherwise.
 */
export function answerBesideTools(
  prompt: LanguageModelV4Prompt,
  results: readonly ToolResult[],
  tools: readonly { type: string; name?: string; description?: string }[],
): string {
  const facts = results.flatMap((r) => (isToolError(r.output) ? [] : [r.output]));
  if (facts.length === 0) return '';
  const called = new Set(results.map((r) => r.toolName));
  const described = tools
    .filter((t) => t.type === 'function' && t.name && called.has(t.name))
    .map((t) => `${t.name?.replace(/_/g, ' ')} ${t.description ?? ''}`)
    .join(' ');
  const terms = toTerms(described);
  const ignoreTerms = new Set(terms);
  for (const synonyms of findSynonyms(terms, 1).values()) {
    for (const synonym of synonyms.keys()) ignoreTerms.add(synonym);
  }
  return composeAnswer(prompt, { facts, onlyIfConfident: { ignoreTerms } });
}

const isToolError = (output: unknown) =>
  typeof output === 'object' && output !== null && 'error' in output;

/** Every customer message in the prompt, oldest first. */
function customerTexts(prompt: LanguageModelV4Prompt): string[] {
  return prompt.flatMap((message) =>
    message.role === 'user'
      ? [message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ')]
      : [],
  );
}

export function lastCustomerText(prompt: LanguageModelV4Prompt): string {
  return customerTexts(prompt).at(-1) ?? '';
}

function without(text: string, ignore: ReadonlySet<string>): string {
  return wordsOf(text)
    .filter((word) => !toTerms(word).some((term) => ignore.has(term)))
    .join(' ');
}

const isChineseText = (text: string) => wordsOf(text).some(isCjk);

/** The business's own name ("…assistant of Acme Store."), which every passage could mention. */
function businessTerms(system: string): Set<string> {
  const name = businessName(system);
  return new Set(name ? toTerms(name) : []);
}

const businessName = (system: string) =>
  /customer-support assistant of (.+?)\.(?:\n|$)/m.exec(system)?.[1];

/**
 * The answer as the customer reads it: acknowledged first when they are upset or in a hurry, in
 * their language; introduced in Chinese when only an English article answers a Chinese
 * question; and ending with the offer of a person when their problem may need one.
 */
function frame(
  body: string,
  input: {
    language: string;
    context: ReplyContext;
    foreign: boolean;
    chosen: ScoredUnit[];
    extra: boolean;
  },
): string {
  const phrases = replyPhrases(input.language);
  const parts: string[] = [];
  if (input.context.acknowledge && !input.extra)
    parts.push(phrases.acknowledge[input.context.acknowledge]);
  if (input.foreign) parts.push(phrases.onlyInEnglish);
  parts.push(body);
  const needsPerson =
    input.context.problem && input.chosen.some((s) => TELLS_TO_REPORT.test(s.unit.text));
  if (input.foreign) parts.push(phrases.offerPersonForLanguage);
  else if (needsPerson || input.context.acknowledge === 'frustration')
    parts.push(phrases.offerPerson);
  return parts.join('\n\n');
}

// The passage sends the customer to report, claim or contact someone: a person may be needed.
const TELLS_TO_REPORT =
  /\b(?:report|claim|contact|email|investigat\w*|get help|support team|our team)\b|联系|报告|客服|申请/i;
