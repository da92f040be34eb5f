import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AskStep } from './definition';

/*
 * Reading the value a procedure asked for out of a customer's free-text reply, without a model:
 * order-like values by their pattern, yes/no (English and Chinese, from a lexicon), choices by
 * containment, position or a fuzzy word match, dates (ISO, relative, "Dec 1", 12月1日) and numbers.
 */

export type Reading =
  | { ok: true; value: string | number | boolean /** Not a fuzzy guess. */; exact: boolean }
  | { ok: false; problem: string };

const phrases = z.object({
  yes: z.array(z.string()),
  no: z.array(z.string()),
  leave: z.array(z.string()),
});
const lexiconSchema = z.object({
  about: z.string(),
  source: z.string(),
  licence: z.string(),
  en: phrases,
  zh: phrases,
});
type Phrases = z.infer<typeof phrases>;

let lexicon: z.infer<typeof lexiconSchema> | null = null;
function replies(): z.infer<typeof lexiconSchema> {
  lexicon ??= lexiconSchema.parse(
    JSON.parse(
      readFileSync(path.join(process.cwd(), 'content', 'lexicons', 'replies.json'), 'utf8'),
    ),
  );
  return lexicon;
}

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The kinds of phrase a reply holds, longest phrase first so "not sure" is not also "sure".
 * English phrases match as whole words anywhere; Chinese ones at the start of the reply.
 */
function phraseKinds(text: string, kinds: (keyof Phrases)[]): Set<keyof Phrases> {
  const found = new Set<keyof Phrases>();
  let rest = normalize(text);
  const zh = replies().zh;
  const chinese = kinds
    .flatMap((kind) => zh[kind].map((phrase) => ({ kind, phrase })))
    .sort((a, b) => b.phrase.length - a.phrase.length);
  const start = rest.replace(/^[\s\p{P}]+/u, '');
  const head = chinese.find(({ phrase }) => start.startsWith(phrase));
  if (head) found.add(head.kind);
  const en = replies().en;
  const english = kinds
    .flatMap((kind) => en[kind].map((phrase) => ({ kind, phrase })))
    .sort((a, b) => b.phrase.length - a.phrase.length);
  for (const { kind, phrase } of english) {
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}'])${escapeRegExp(phrase)}(?![\\p{L}\\p{N}'])`,
      'gu',
    );
    if (pattern.test(rest)) {
      found.add(kind);
      rest = rest.replace(pattern, ' ');
    }
  }
  return found;
}

/** Yes or no, or null when the reply says neither or both. */
export function readYesNo(text: string): boolean | null {
  const kinds = phraseKinds(text, ['yes', 'no']);
  if (kinds.size !== 1) return null;
  return kinds.has('yes');
}

/** Whether the customer wants to stop the procedure ("never mind", "cancel", 算了). */
export function wantsToLeave(text: string): boolean {
  return phraseKinds(text, ['leave']).size > 0;
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  a: 1,
  an: 1,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};
const NUMBER_TOKEN = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')})`;

function toNumber(token: string): number {
  return NUMBER_WORDS[token] ?? Number(token);
}

export function readNumber(text: string): Reading {
  const digits = [
    ...normalize(text)
      .replace(/(\d),(\d{3})\b/g, '$1$2')
      .matchAll(/-?\d+(?:\.\d+)?/g),
  ];
  const words = digits.length
    ? []
    : [
        ...normalize(text).matchAll(
          /\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\b/g,
        ),
      ];
  const values = [...new Set([...digits, ...words].map((m) => toNumber(m[0])))];
  if (values.length === 1) return { ok: true, value: values[0]!, exact: true };
  return {
    ok: false,
    problem: values.length ? 'I found more than one number there.' : 'I need a number.',
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY_MS = 86_400_000;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A day of the month, in the year that puts it most recently not after `now`. */
function recentDay(month: number, day: number, now: Date, year?: number): Date | null {
  const pick = (y: number) => new Date(Date.UTC(y, month, day));
  let date = pick(year ?? now.getUTCFullYear());
  if (year === undefined && date.getTime() > now.getTime()) date = pick(now.getUTCFullYear() - 1);
  return date.getUTCMonth() === month && date.getUTCDate() === day ? date : null;
}

/** A calendar day as `YYYY-MM-DD`; relative days are counted from `now` (UTC). */
export function readDate(text: string, now: Date): Reading {
  const t = normalize(text);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const daysAgo = (n: number) => ({
    ok: true as const,
    value: isoDay(new Date(today.getTime() - n * DAY_MS)),
    exact: true,
  });
  const iso = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(t);
  if (iso) {
    const date = recentDay(Number(iso[2]) - 1, Number(iso[3]), now, Number(iso[1]));
    return date
      ? { ok: true, value: isoDay(date), exact: true }
      : { ok: false, problem: 'That date does not exist.' };
  }
  const ago = new RegExp(`\\b${NUMBER_TOKEN} (day|week)s? ago\\b`).exec(t);
  if (ago) return daysAgo(toNumber(ago[1]!) * (ago[2] === 'week' ? 7 : 1));
  const zhAgo = /(\d+|[一二两三四五六七八九十])\s*(天|周|星期)前/.exec(t);
  if (zhAgo) return daysAgo(toNumber(zhAgo[1]!) * (zhAgo[2] === '天' ? 1 : 7));
  if (/\bday before yesterday\b|前天/.test(t)) return daysAgo(2);
  if (/\byesterday\b|昨天/.test(t)) return daysAgo(1);
  if (/\btoday\b|今天/.test(t)) return daysAgo(0);
  const named =
    new RegExp(`\\b${MONTH}\\.? (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?\\b`).exec(t) ?? null;
  const dayFirst = new RegExp(
    `\\b(\\d{1,2})(?:st|nd|rd|th)?(?: of)? ${MONTH}\\.?(?:,? (\\d{4}))?\\b`,
  ).exec(t);
  const zh = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/.exec(t);
  let parts: [number, number, number | undefined] | null = null;
  if (named)
    parts = [
      MONTHS.indexOf(named[1]!.slice(0, 3)),
      Number(named[2]),
      named[3] ? Number(named[3]) : undefined,
    ];
  else if (dayFirst)
    parts = [
      MONTHS.indexOf(dayFirst[2]!.slice(0, 3)),
      Number(dayFirst[1]),
      dayFirst[3] ? Number(dayFirst[3]) : undefined,
    ];
  else if (zh) parts = [Number(zh[2]) - 1, Number(zh[3]), zh[1] ? Number(zh[1]) : undefined];
  if (!parts)
    return { ok: false, problem: 'I need a date, for example 2026-12-01 or "3 days ago".' };
  const date = recentDay(parts[0], parts[1], now, parts[2]);
  return date
    ? { ok: true, value: isoDay(date), exact: true }
    : { ok: false, problem: 'That date does not exist.' };
}

/** Every whole match of an admin's pattern in the reply (not inside a longer word or number). */
function patternMatches(pattern: string, text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(new RegExp(pattern, 'gu'))) {
    const before = text[m.index - 1] ?? ' ';
    const after = text[m.index + m[0].length] ?? ' ';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) found.add(m[0].trim());
  }
  return [...found];
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'my',
  'it',
  'is',
  'its',
  "it's",
  'i',
  'to',
  'of',
  'was',
  'as',
  'for',
  'and',
  'or',
  'too',
]);
const words = (text: string) =>
  normalize(text)
    .split(/[^\p{L}\p{N}']+/u)
    .filter((w) => w && !STOP_WORDS.has(w));

/** Words alike enough to be one: equal, or sharing a 4-letter start, or one typo apart. */
function alike(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length >= 4 && b.length >= 4 && a.slice(0, 4) === b.slice(0, 4)) return true;
  if (Math.abs(a.length - b.length) > 1 || Math.min(a.length, b.length) < 4) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return (
    a.slice(i + 1) === b.slice(i + 1) ||
    a.slice(i + 1) === b.slice(i) ||
    a.slice(i) === b.slice(i + 1)
  );
}

const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];

/** The choices a reply names outright; of "wrong colour" and "colour", only the longer one. */
function choicesNamed(choices: string[], text: string): string[] {
  const t = normalize(text);
  const contained = choices.filter((c) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(normalize(c))}(?![\\p{L}\\p{N}])`, 'u').test(t),
  );
  return contained.filter(
    (c) => !contained.some((o) => o !== c && normalize(o).includes(normalize(c))),
  );
}

export function readChoice(choices: string[], text: string): Reading {
  const named = choicesNamed(choices, text);
  if (named.length === 1) return { ok: true, value: named[0]!, exact: true };
  if (named.length > 1) return { ok: false, problem: `Please pick one of: ${choices.join(', ')}.` };
  const position =
    /^\s*(?:#|no\.?\s*|number\s*|option\s*)?(\d{1,2})\s*[.)]?\s*$/.exec(normalize(text)) ??
    new RegExp(`\\b(?:the )?(${ORDINALS.join('|')})(?: one| option)?\\b`).exec(normalize(text));
  if (position) {
    const n = /^\d+$/.test(position[1]!) ? Number(position[1]) : ORDINALS.indexOf(position[1]!) + 1;
    if (n >= 1 && n <= choices.length) return { ok: true, value: choices[n - 1]!, exact: true };
  }
  const said = words(text);
  const scored = choices
    .map((choice) => {
      const own = words(choice);
      const hit = own.filter((w) => said.some((s) => alike(w, s))).length;
      return { choice, score: own.length ? hit / own.length : 0 };
    })
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (best && best.score > 0.5 && (!second || second.score < best.score)) {
    return { ok: true, value: best.choice, exact: false };
  }
  return { ok: false, problem: `Please pick one of: ${choices.join(', ')}.` };
}

/** The value an ask step wants, read from one reply. */
export function readValue(step: AskStep, text: string, now: Date): Reading {
  switch (step.valueType) {
    case 'number':
      return readNumber(text);
    case 'date':
      return readDate(text, now);
    case 'boolean': {
      const answer = readYesNo(text);
      return answer === null
        ? { ok: false, problem: 'Please answer yes or no.' }
        : { ok: true, value: answer, exact: true };
    }
    case 'choice':
      return readChoice(step.choices ?? [], text);
    case 'string': {
      if (step.pattern) {
        const found = patternMatches(step.pattern, text);
        if (found.length === 1) return { ok: true, value: found[0]!, exact: true };
        return {
          ok: false,
          problem: found.length
            ? 'I found more than one there; which one is it?'
            : "That doesn't look right.",
        };
      }
      const value = text.trim();
      if (!value) return { ok: false, problem: 'I need an answer to go on.' };
      if (value.length > 500)
        return { ok: false, problem: 'That is too long; please keep it short.' };
      return { ok: true, value, exact: false };
    }
  }
}

/**
 * Values a customer's message already gives, so their ask steps are skipped: only what is read
 * without guessing (a value by its pattern, a choice named outright, an explicit date).
 */
export function valuesInMessage(
  steps: AskStep[],
  text: string,
  now: Date,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const step of steps) {
    if (step.valueType === 'choice') {
      const named = choicesNamed(step.choices ?? [], text);
      if (named.length === 1) values[step.value] = named[0];
    } else if (step.valueType === 'date' || (step.valueType === 'string' && step.pattern)) {
      const reading = readValue(step, text, now);
      if (reading.ok) values[step.value] = reading.value;
    }
  }
  return values;
}
