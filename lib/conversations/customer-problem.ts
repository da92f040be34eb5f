import type { MessageMetadata } from '@/db/schema';
import { asksForPerson } from '@/lib/classify/person-request';
import { type Classification, type Intent, PRIORITIES } from '@/lib/classify/schema';
import { PROFILE_PHRASES } from '@/lib/memory/extract-profile-facts';
import { toTerms } from '@/lib/text/terms';

/*
 * What the customer needs, read from the whole conversation rather than its last message: which
 * of their words say it ("my parcel never arrived"), as opposed to greetings, thanks, "ok",
 * "are you there?", introductions and requests for a person, which say nothing about the problem.
 */

/** A customer's message, with its classification when it has one. */
export interface CustomerLine {
  content: string;
  classification?: Classification | null;
}

// A clause or sentence with its closing punctuation. "." closes only before a space or the end,
// so order numbers, prices and addresses ("PX-2.11", "a@b.com") stay whole.
const SEGMENT = /.+?(?:[,;:.!?]+(?=\s|$)|[，；：、。！？\n]+|$)/gsu;

// Words that only keep a conversation going. Function words are dropped by toTerms already.
const CHATTER = new Set(
  toTerms(
    'ok okay cool great perfect awesome nice good fine sure understood alright right yeah yep yup ' +
      'nope sorry hello hi hey hiya morning afternoon evening anyone anybody around wait waiting ' +
      'thanks thank cheers appreciate appreciated bye goodbye later day weekend question ask ' +
      'asking hmm ah oh um uh lol well',
  ),
);

// Who the customer asks for: in a request for a person they are the request, not the problem.
const PERSON = new Set(
  toTerms(
    'human person people agent representative rep operator someone somebody staff real actual ' +
      'live speak speaking talk talking chat chatting connect transfer escalate manager supervisor ' +
      'team member support service customer bot robot ai',
  ),
);

// Thanks for a solution: "that fixed it", "all sorted", "no more questions".
const RESOLVED =
  /\b(?:that|it|this)(?:'s| is| has| was)?(?: been)? (?:fixed|worked|works|helped|solved|sorted|resolved|did it|did the trick|answers?)\b|\b(?:all|problem|issue) (?:good|set|sorted|solved|resolved|fixed)\b|\bno (?:more )?(?:questions?|problems?|worries)\b|\bmakes sense\b/gu;

const CHINESE_CHATTER =
  /你好|您好|谢谢|感谢|多谢|好的|好吧|明白了?|知道了|收到|再见|拜拜|没事了?|没有了|就这些|在吗|有人吗|[嗯哦哈]+/gu;
const CHINESE_PERSON =
  /转人工|人工客服|人工服务|人工|真人|客服人员|客服|我要|帮我|请|找|联系|转|接/gu;

const PROFILE = PROFILE_PHRASES.map(
  (phrase) =>
    new RegExp(phrase.source, phrase.flags.includes('g') ? phrase.flags : `${phrase.flags}g`),
);
const HAN_CHAR = /^\p{Script=Han}$/u;

/** Whether a clause says something about what the customer needs. */
function carriesProblem(segment: string): boolean {
  let rest = segment.normalize('NFKC');
  for (const phrase of PROFILE) rest = rest.replace(phrase, ' ');
  rest = rest
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(RESOLVED, ' ')
    .replace(CHINESE_CHATTER, ' ');
  const askingForPerson = asksForPerson(segment);
  if (askingForPerson) rest = rest.replace(CHINESE_PERSON, ' ');
  return toTerms(rest).some(
    (term) => !CHATTER.has(term) && !(askingForPerson && PERSON.has(term)) && !HAN_CHAR.test(term),
  );
}

/**
 * The part of a customer's message that says what they need, in their words: its other clauses
 * (greetings, thanks, introductions, "can I talk to a person") left out. Empty when there is none.
 */
export function substantiveText(text: string): string {
  const kept = (text.match(SEGMENT) ?? []).filter(carriesProblem);
  return kept
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[,;:，；：、]+$/u, '');
}

// How much a message reads like the problem itself rather than a detail or a follow-up.
const INTENT_WEIGHT: Record<Intent, number> = {
  complaint: 1,
  request: 0.5,
  question: 0.5,
  asks_for_human: 0.5,
  greeting: 0,
  feedback: 0,
};

function problemWeight(c: Classification | null | undefined): number {
  if (!c) return 0;
  return (
    PRIORITIES.indexOf(c.priority) +
    INTENT_WEIGHT[c.intent] +
    Math.max(0, -c.sentiment.polarity) +
    c.sentiment.frustration / 2
  );
}

export interface CustomerProblem {
  /** Which of the lines states it. */
  index: number;
  /** Its words that say what is wrong or wanted. */
  text: string;
}

/**
 * The customer's problem: of the messages that say what they need, the most pressing (priority,
 * a complaint over a question, negativity, frustration), the earliest of equals — so "my parcel
 * never arrived" beats an earlier routine question, and the opening statement beats the order
 * number given after it. Null when no message says anything about a problem.
 */
export function findCustomerProblem(lines: readonly CustomerLine[]): CustomerProblem | null {
  let best: CustomerProblem | null = null;
  let bestWeight = Number.NEGATIVE_INFINITY;
  lines.forEach((line, index) => {
    const text = substantiveText(line.content);
    if (!text) return;
    const weight = problemWeight(line.classification);
    if (weight > bestWeight) {
      best = { index, text };
      bestWeight = weight;
    }
  });
  return best;
}

/**
 * The question a reply should answer: the customer's latest message that says what they need —
 * not the "ok", "thanks" or "hello?" that came after it. Null when they have asked nothing yet.
 */
export function findOpenQuestion(lines: readonly CustomerLine[]): CustomerProblem | null {
  for (let index = lines.length - 1; index >= 0; index--) {
    const text = substantiveText(lines[index]!.content);
    if (text) return { index, text };
  }
  return null;
}

/**
 * The messages since the conversation was last resolved: a customer who comes back with a new
 * matter starts afresh, and what was settled no longer counts.
 */
export function sinceLastResolved<T extends { role: string; metadata: MessageMetadata }>(
  messages: readonly T[],
): T[] {
  let start = 0;
  messages.forEach((m, i) => {
    if (m.role === 'system' && m.metadata.event === 'resolved') start = i + 1;
  });
  return messages.slice(start);
}

/** The customer's messages among these, as lines. */
export function customerLines(
  messages: readonly { role: string; content: string; metadata: MessageMetadata }[],
): CustomerLine[] {
  return messages.flatMap((m) =>
    m.role === 'customer'
      ? [{ content: m.content, classification: m.metadata.classification ?? null }]
      : [],
  );
}
