import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { detectLanguage } from '@/lib/classify/language';
import { toTermSet } from '@/lib/text/terms';
import { abstentionReply } from '../prompts';
import { type PromptSource, parseProfile, parseSources } from '../sources';

const MAX_EXCERPT_CHARS = 700;
const NAME_QUESTION =
  /\b(?:what(?:'s| is) my name|do you (?:know|remember) (?:me|my name|who i am))\b|我叫什么/i;

/** A grounded reply from what the prompt holds: help-center sources, or the customer's profile. */
export function composeAnswer(prompt: LanguageModelV4Prompt): string {
  const system = prompt.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n');
  const question = lastCustomerText(prompt);
  if (NAME_QUESTION.test(question)) {
    const { name } = parseProfile(system);
    return typeof name === 'string'
      ? `Your name is ${name}.`
      : "I don't know your name yet. If you tell me, I'll remember it for next time.";
  }
  const sources = parseSources(system);
  if (sources.length === 0 || !question.trim()) {
    return abstentionReply(detectLanguage(question).code);
  }

  const wanted = toTermSet(question);
  const source = bestSource(sources, wanted);
  const body = excerpt(source.text, wanted);
  // A bare list reads oddly as a reply; its section heading says what the steps are for.
  const lead = /^(\d+\.|[-*])\s/.test(body) && source.section ? `**${source.section}**\n\n` : '';
  return `${lead}${body} [${source.index}]`;
}

export function lastCustomerText(prompt: LanguageModelV4Prompt): string {
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
