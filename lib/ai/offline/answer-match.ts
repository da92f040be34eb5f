import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Glossary, glossTranslate, parseGlossary } from '@/lib/kb/glossary';
import { findSynonyms } from '@/lib/kb/support-synonyms';
import { toTerms, wordsOf } from '@/lib/text/terms';
import { loadWordVectors } from '@/lib/text/word-vectors';
import type { PromptSource } from '../sources';
import { placesIn, withoutChinesePlaceNames } from './customer-details';
import type { ParsedSource, PassageBlock, PassageUnit } from './passage-units';

/** What kind of detail a question asks for, so a unit holding one answers it better. */
export type AnswerType = 'duration' | 'limit' | 'amount' | 'steps' | 'meaning' | 'restore';

const ASKS: Record<AnswerType, RegExp> = {
  duration:
    /\bhow (?:long|soon|quickly|many (?:days|hours|weeks|minutes|months))\b|\bwhen (?:will|does|do|can|is|are|should|would)\b|\bwhat time\b|\buntil when\b|\btil+\b|多久|几天|多长时间|什么时候|几点|何时/i,
  // "how long do I have to…", "what's the deadline": how long one may wait, not how long it takes.
  limit:
    /\bhow (?:long|many days|much time)(?: (?:do|does|did|will|would))? (?:i|we|you|they) (?:have|get)\b|\b(?:deadline|time limit)\b|\bby when\b|期限|截止|最晚|几天内/i,
  amount:
    /\bhow much\b|\b(?:costs?|prices?|fees?|charges?|charged|pay|paying|expensive|cheap|discount|minimum|percent)\b|多少钱|费用|价格|运费|收费|多少|折扣/i,
  steps:
    /\bhow (?:do|can|should|would|to|2)\b|\bwhere (?:do|can) (?:i|we)\b|\bwhat (?:do|should) i do\b|\bsteps?\b|怎么|如何|怎样|步骤/i,
  meaning:
    /\bdifference between\b|\bwhat (?:does|do) .{1,40} mean\b|\bmeaning of\b|\bvs\.?\b|\bversus\b|区别|什么意思|是什么意思/i,
  // "closed my account by mistake, can I get it back?": something done is to be undone. Money
  // wanted back is a refund, which the terms already ask for.
  restore:
    /\b(?:get|have|bring|want|turn|put|switch) (?!(?:my |the |a |that |this )?(?:money|fee|fees|payment|deposit|cash|charge)\b)(?:\w+ ){0,2}back\b|\b(?:undo|undelete|restore|recover|reactivate|reopen|reinstate)\b|\bby (?:mistake|accident)\b|\baccidentally\b|\bchanged? my mind\b|恢复|撤销|找回|误删/i,
};

const HOLDS: Record<AnswerType, RegExp> = {
  duration:
    /\b\d+(?:[.,]\d+)?(?:\s*(?:[-–]|to)\s*\d+)?\s*(?:extra\s+)?(?:business |working |calendar )?(?:days?|hours?|weeks?|months?|minutes?|years?)\b|\bnext (?:business |working )?day\b|\binstantly\b|\bimmediately\b|\bsame day\b|\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b|\b\d{1,2}:\d\d\b|\d+\s*(?:[-–至到]\s*\d+\s*)?个?(?:工作日|天|小时|分钟|周|星期|个月|年)|[上下]午\s*\d/i,
  limit:
    /\bwithin\s+(?:\*\*)?(?:\d|one|two|three|a |an )|\bup to (?:\*\*)?\d+\s*(?:business |working |calendar )?(?:days?|weeks?|months?)\b|\bno later than\b|\d+\s*个?(?:工作日|天|小时|周|个月)(?:之)?内/i,
  amount: /(?:S\$|RM|US\$|A\$|\$|€|£|¥)\s?\d|\d\s?%|\bfree\b|免费|\d+\s*(?:元|令吉)/i,
  // A step, a control to use, or an instruction ("Email us…", "Check with neighbours…").
  steps:
    /^\s*\d|\b(?:select(?:ing)?|go to|tap(?:ping)?|click(?:ing)?|choos(?:e|ing)|open|enter(?:ing)?|sign(?:ing)? in)\b|^(?:email|contact|call|write|send|check|ask|tell|look|visit|use|add|update|request|start)\b|选择|点击|进入|打开/i,
  // A unit named for the very words asked about ("**Packed** — …") says what they mean.
  meaning: /(?!)/,
  // How it is undone: reactivated, restored, resumed, reversed.
  restore:
    /\b(?:re(?:activat|stor|cover|open|instat|sum)\w*|undo\w*|undelet\w*|revers\w*)|\b(?:get|bring|turn|put|switch) (?:\w+ ){0,2}back\b|恢复|撤销|找回/i,
};

// "This article explains…": an article talking about itself answers nothing.
const ABOUT_ITSELF =
  /^(?:this|the following|in this) (?:article|guide|page|section|help article|help page)\b|本文|这篇文章|本篇/i;
// "…see **Faulty after use** below": a pointer to the answer, not the answer.
// "…the steps below fix most problems": the same, for what follows.
const POINTS_ELSEWHERE =
  /\b(?:see|read)\s+\*\*[^*]+\*\*|\bsee (?:below|above)\b|\b(?:the|these) (?:[a-z]+ ){0,2}(?:below|that follow)\b|请参阅|详见|以下步骤/i;

/** An article's opening before its first heading: an introduction, rarely the answer. */
const INTRODUCTION_WEIGHT = 0.75;
const ABOUT_ITSELF_WEIGHT = 0.15;
/** A section for before what the customer says they did already. */
const TOO_LATE_WEIGHT = 0.5;
const BEFORE = /^\s*before\b/i;
const POINTER_WEIGHT = 0.6;
/** A term found in the unit's heading, table header or list lead: context, not the unit itself. */
const CONTEXT_MATCH = 0.6;
const SYNONYM_MATCH = 0.5;
const STEM_VARIANT_MATCH = 0.9;
const TYPO_MATCH = 0.8;
const COMPOUND_MATCH = 0.6;
const MIN_COMPOUND_PART = 4;
const MIN_TYPO_LENGTH = 5;
/** Below this cosine two words are not taken for one another. */
const MIN_WORD_SIMILARITY = 0.6;
const SIMILAR_MATCH = 0.5;
/** "don't have the backup codes" read against "You have a backup code". */
const NEGATION_MISMATCH = 0.5;
/** The kind of answer asked for weighs as much as an average term of the question. */
const ANSWER_TYPE_WEIGHT = 1;
/** Retrieval's order, as a tie-breaker between equally matching units. */
const RANK_BONUS = 0.08;
/**
 * Help articles title their sections by the question they answer, and name list items and table
 * rows for what they are about ("**Packed** — …"): a unit whose heading or name restates the
 * question gains up to this much, as in the retrieval reranker.
 */
const HEADING_BONUS = 0.3;
const LABEL_BONUS = 0.3;

/** What the customer said before the question weighs this much of the question's own words. */
const EARLIER_SHARE = 0.35;

const HOW_WORDS = new Set(['long', 'much', 'many', 'soon', 'quickly', 'often', 'far', 'late']);

// Words that frame a question without naming its topic ("does it take", "within", "able to").
const FILLER = new Set(
  'take takes taking took within able still really actually just anything something thing things way lot sure ask asking wondering happen happens happened'.split(
    ' ',
  ),
);

// "two months" in a question, "2 months" in the article.
const NUMBER_WORDS = new Map(
  'one two three four five six seven eight nine ten eleven twelve'
    .split(' ')
    .map((word, i) => [word, String(i + 1)]),
);

const NEGATION = /^(?:no|not|dont|doesnt|didnt|havent|hasnt|cant|cannot|wont|without|never|lost)$/;
const NEGATION_REACH = 4;

// "I closed", "I've already cancelled", "we accidentally deleted": what the customer did.
const DONE_VERB = /^[a-z]{3,}ed$/;
const isDoer = (word: string) => /^(?:i|ive|we|weve|already|just|accidentally)$/.test(word);

export interface QuestionTerm {
  term: string;
  /** The customer's word, for word-vector similarity (English words only). */
  word: string | null;
  /** A country or region the question names (by any name or city): matched by place. */
  place: string | null;
  /** Said as missing ("don't have the backup codes"). */
  negated: boolean;
  /**
   * What the customer says they did ("I closed my account"): it names what the question is
   * about, and a part that says it again (the steps to close one) answers no more of it.
   */
  done: boolean;
  weight: number;
  synonyms: Map<string, number>;
}

export interface Question {
  terms: QuestionTerm[];
  asks: Set<AnswerType>;
}

export interface ScoredUnit {
  unit: PassageUnit;
  blockOf: PassageBlock;
  /** How well the unit answers the question, 0 … about 1. */
  score: number;
  /** How well it answers each aspect of the question (see {@link Scoring.weights}), 0 … 1. */
  matches: number[];
}

/** Units scored against the question, and what each aspect of the question weighs. */
export interface Scoring {
  units: ScoredUnit[];
  /**
   * Per aspect of the question — its terms, then the kinds of answer it asks for — the weight
   * it carries; 0 for a term no unit has anything for ("teapot"), which cannot tell units apart.
   */
  weights: number[];
  /** Sources whose title and heading restate the whole question: it asks for them whole. */
  topicOnly: Set<PromptSource>;
}

/** What a piece of text says, as the question is matched against it. */
interface Reading {
  terms: Set<string>;
  negated: Set<string>;
  places: Set<string>;
  words: Set<string>;
}

// "same-day", "two-factor": one thing, though the words alone are common ("same", "day").
const COMPOUND = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu;
const compoundsIn = (text: string) =>
  Array.from(text.toLowerCase().matchAll(COMPOUND), (m) => m[0].replaceAll('-', ''));

// Passages are read once per question and again per unit; the same texts come back every turn.
const readings = new Map<string, Reading>();
const READINGS_KEPT = 4000;

function read(text: string): Reading {
  const known = readings.get(text);
  if (known) return known;
  const reading = readText(text);
  if (readings.size >= READINGS_KEPT) readings.clear();
  readings.set(text, reading);
  return reading;
}

function readText(text: string): Reading {
  const words = wordsOf(text);
  const terms = new Set<string>(compoundsIn(text));
  const negated = new Set<string>();
  words.forEach((word, i) => {
    const near = words.slice(Math.max(0, i - NEGATION_REACH), i).some((w) => NEGATION.test(w));
    for (const term of toTerms(NUMBER_WORDS.get(word) ?? word)) {
      terms.add(term);
      if (near) negated.add(term);
    }
  });
  if (/没有|没|不|无/.test(text))
    for (const term of terms) if (/\p{Script=Han}/u.test(term)) negated.add(term);
  return { terms, negated, places: placesIn(text), words: new Set(words) };
}

/**
 * The question's terms, weighted by how rare they are among the passages' units; with what the
 * customer said before it ("I paid with PayPal." … "How long until my refund shows up?") as
 * terms of less weight.
 */
export function readQuestion(
  text: string,
  parsed: readonly ParsedSource[],
  {
    earlier = [],
    ignore = new Set(),
    problem = false,
  }: {
    /** What the customer said before the question. */
    earlier?: readonly string[];
    /** Terms that say nothing here (the business's own name). */
    ignore?: ReadonlySet<string>;
    /** The customer reports a problem: what to do about it is asked, said or not. */
    problem?: boolean;
  } = {},
): Question {
  const seen = new Set<string>();
  const raw: (Omit<QuestionTerm, 'weight' | 'synonyms'> & { share: number })[] = [];
  const take = (message: string, share: number) => {
    const asked = read(message);
    const words = wordsOf(message);
    for (const [i, word] of words.entries()) {
      // "how long", "how much": the kind of answer wanted (see ASKS), not a topic; "how 2" is "how to".
      if (words[i - 1] === 'how' && (HOW_WORDS.has(word) || word === '2')) continue;
      if (FILLER.has(word)) continue;
      // A place counts once, by place, whatever name it goes by; a Chinese run of words without
      // the place's name.
      const han = /\p{Script=Han}/u.test(word);
      if (!han && placesIn(word).size > 0) continue;
      const spoken = han ? withoutChinesePlaceNames(word) : (NUMBER_WORDS.get(word) ?? word);
      for (const term of toTerms(spoken)) {
        if (seen.has(term) || ignore.has(term)) continue;
        seen.add(term);
        // Word vectors put monthly next to annual: numbers and names match as written.
        const comparable = /^[a-z]+$/.test(word) && !NUMBER_WORDS.has(word);
        const negated = asked.negated.has(term);
        const done = DONE_VERB.test(word) && words.slice(Math.max(0, i - 2), i).some(isDoer);
        raw.push({ term, word: comparable ? word : null, place: null, negated, done, share });
      }
    }
    for (const compound of compoundsIn(message)) {
      if (seen.has(compound)) continue;
      seen.add(compound);
      raw.push({ term: compound, word: null, place: null, negated: false, done: false, share });
    }
    for (const place of asked.places) {
      if (seen.has(`@${place}`)) continue;
      seen.add(`@${place}`);
      raw.push({ term: `@${place}`, word: null, place, negated: false, done: false, share });
    }
  };
  take(text, 1);
  // A Chinese question read against English passages, in the glossary's English words.
  if (/\p{Script=Han}/u.test(text) && parsed.some((p) => !/\p{Script=Han}/u.test(p.source.text))) {
    take(glossTranslate(text, defaultGlossary()), 1);
  }
  for (const message of [...earlier].reverse()) take(message, EARLIER_SHARE);
  const unitReadings = parsed.flatMap(allUnits).map(({ unit, blockOf }) => ({
    own: read(unit.text),
    context: read(contextText(unit, blockOf)),
  }));
  const synonyms = findSynonyms(
    raw.map((r) => r.term),
    SYNONYM_MATCH,
  );
  const terms = raw.map(({ share, ...q }) => {
    // A misspelt word is as common as the word it stands for.
    const typo = q.word && isUnknownWord(q.word) ? q.word : null;
    const mentions = (r: Reading) =>
      has(r, q) || (typo !== null && [...r.words].some((w) => oneEditApart(typo, w)));
    const df = unitReadings.filter(({ own, context }) => mentions(own) || mentions(context)).length;
    return {
      ...q,
      // Rare among the passages, and not a common English word ("make", "get").
      weight:
        share *
        Math.log(1 + (unitReadings.length + 1) / (df + 0.5)) *
        (q.word ? commonness(q.word) : 1),
      synonyms: synonyms.get(q.term) ?? new Map<string, number>(),
    };
  });
  const asks = new Set((Object.keys(ASKS) as AnswerType[]).filter((type) => ASKS[type].test(text)));
  if (problem) asks.add('steps');
  return { terms, asks };
}

const has = (reading: Reading, q: Pick<QuestionTerm, 'term' | 'place'>) =>
  q.place ? reading.places.has(q.place) : reading.terms.has(q.term);

/**
 * The stemmer leaves "delivered" as deliv and "delivery" as deliveri: a term of five letters or
 * more that begins the other (or the other way round), a few letters apart, is the same word.
 */
function hasVariant(reading: Reading, term: string): boolean {
  if (term.length < 5 || !/^[a-z]+$/.test(term)) return false;
  for (const other of reading.terms) {
    if (other.length < 5 || Math.abs(other.length - term.length) > 3) continue;
    if (other.startsWith(term) || term.startsWith(other)) return true;
  }
  return false;
}

let glossary: Glossary | null = null;

/** The shipped Chinese → English support glossary, which retrieval also reads offline. */
function defaultGlossary(): Glossary {
  glossary ??= parseGlossary(
    readFileSync(path.join(process.cwd(), 'content', 'glossary', 'zh-en.txt'), 'utf8'),
  );
  return glossary;
}

/** Smooth-inverse-frequency weight, squared: near 1 for topic words, lower for everyday ones. */
function commonness(word: string): number {
  const sif = loadWordVectors().sifWeight(word);
  return sif > 0 ? sif * sif : 1;
}

function allUnits(parsed: ParsedSource) {
  return parsed.blocks.flatMap((blockOf) =>
    [...(blockOf.lead ? [blockOf.lead] : []), ...blockOf.units].map((unit) => ({ unit, blockOf })),
  );
}

function contextText(unit: PassageUnit, block: PassageBlock): string {
  return [
    unit.source.title,
    unit.source.section,
    block.lead && block.lead !== unit ? block.lead.text : '',
    block.header.join(' '),
  ].join('\n');
}

/** Every unit of the passages, scored against the question. */
export function scoreUnits(question: Question, parsed: readonly ParsedSource[]): Scoring {
  const similarity = wordSimilarity();
  const asks = [...question.asks];
  const asked = new Set(question.terms.map((q) => q.term));
  const matched = parsed.flatMap((source, rank) =>
    allUnits(source).map(({ unit, blockOf }) => {
      const own = read(unit.text);
      const context = read(contextText(unit, blockOf));
      const unitWords = [...own.words].filter(
        (w) => /^[a-z]{3,}$/.test(w) && !NUMBER_WORDS.has(w) && placesIn(w).size === 0,
      );
      const matches = question.terms.map((q) => {
        // The customer who says they don't have something is not helped by a part that assumes they
        // do; a question that has no "not" may well get one in its answer ("can't be paused").
        const agree = (reading: Reading) =>
          !q.negated || reading.negated.has(q.term) ? 1 : NEGATION_MISMATCH;
        let best = has(own, q) ? agree(own) : has(context, q) ? CONTEXT_MATCH * agree(context) : 0;
        if (best < STEM_VARIANT_MATCH && !q.place) {
          if (hasVariant(own, q.term)) best = STEM_VARIANT_MATCH;
          else if (hasVariant(context, q.term))
            best = Math.max(best, STEM_VARIANT_MATCH * CONTEXT_MATCH);
        }
        for (const [synonym, weight] of best < 1 ? q.synonyms : []) {
          if (own.terms.has(synonym)) best = Math.max(best, weight);
          else if (context.terms.has(synonym)) best = Math.max(best, weight * CONTEXT_MATCH);
        }
        if (best < SYNONYM_MATCH && q.word) {
          const closest = Math.max(0, ...unitWords.map((w) => similarity(q.word!, w)));
          if (closest >= MIN_WORD_SIMILARITY) best = Math.max(best, SIMILAR_MATCH * closest);
        }
        // "card" in "Mastercard": the word ends a compound the passage uses.
        if (best < COMPOUND_MATCH && q.word && q.word.length >= MIN_COMPOUND_PART) {
          if (unitWords.some((w) => w.length >= q.word!.length + 3 && w.endsWith(q.word!))) {
            best = COMPOUND_MATCH;
          }
        }
        // "membrship": a word no dictionary knows, one letter from one the passage uses.
        if (best < TYPO_MATCH && q.word && isUnknownWord(q.word)) {
          if (unitWords.some((w) => oneEditApart(q.word!, w))) best = TYPO_MATCH;
        }
        return q.done ? Math.min(best, CONTEXT_MATCH) : best;
      });
      const sentence = wholeSentence(unit, blockOf);
      for (const type of asks) {
        const steps = type === 'steps' && blockOf.ordered && unit.kind === 'item';
        const named =
          type === 'meaning' && unit.label !== '' && toTerms(unit.label).every((t) => asked.has(t));
        matches.push(steps || named || HOLDS[type].test(sentence) ? 1 : 0);
      }
      return { unit, blockOf, rank, matches };
    }),
  );
  const termWeights = question.terms.map((q, i) =>
    matched.some((m) => m.matches[i]! > 0) ? q.weight : 0,
  );
  const matchable = termWeights.filter((w) => w > 0);
  const typeWeight =
    ANSWER_TYPE_WEIGHT *
    (matchable.length ? matchable.reduce((a, b) => a + b, 0) / matchable.length : 1);
  const weights = [...termWeights, ...asks.map(() => typeWeight)];
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  // The share of the question a heading or a name restates.
  const restated = (text: string) => {
    const named = read(text);
    return (
      question.terms.reduce((sum, q, i) => {
        const agrees = !q.negated || named.negated.has(q.term);
        let found = has(named, q) ? (agrees ? 1 : NEGATION_MISMATCH) : 0;
        for (const [synonym, weight] of found ? [] : q.synonyms) {
          if (named.terms.has(synonym)) found = Math.max(found, weight);
        }
        return sum + found * termWeights[i]!;
      }, 0) / total
    );
  };
  const namedShare = (label: string) => {
    const terms = toTerms(label);
    return terms.length ? terms.filter((t) => asked.has(t)).length / terms.length : 0;
  };
  const headings = new Map(parsed.map(({ source }) => [source, restated(source.section)]));
  // "Before you close your account" to a customer who closed it: too late for that.
  const done = question.terms.filter((q) => q.done);
  const tooLate = new Set(
    parsed
      .map(({ source }) => source)
      .filter((source) => {
        const leaf = source.section.split(' › ').at(-1) ?? '';
        const named = read(leaf);
        return BEFORE.test(leaf) && done.some((q) => named.terms.has(q.term));
      }),
  );
  const units = matched.map(({ unit, blockOf, rank, matches }) => {
    let score = matches.reduce((sum, m, i) => sum + m * weights[i]!, 0) / total;
    score += HEADING_BONUS * headings.get(unit.source)!;
    // A name counts as far as the two agree: "Gift card or store credit" is only partly "my card".
    if (unit.label) score += LABEL_BONUS * restated(unit.label) * namedShare(unit.label);
    score += RANK_BONUS * (1 - rank / Math.max(1, parsed.length));
    if (!unit.source.section) score *= INTRODUCTION_WEIGHT;
    if (tooLate.has(unit.source)) score *= TOO_LATE_WEIGHT;
    if (ABOUT_ITSELF.test(unit.text)) score *= ABOUT_ITSELF_WEIGHT;
    else if (POINTS_ELSEWHERE.test(unit.text)) score *= POINTER_WEIGHT;
    return { unit, blockOf, score, matches };
  });
  // Every term of the question is in the article's title or the section's heading: the question
  // names the topic only ("what's your refund policy").
  const topicOnly = new Set(
    parsed
      .map(({ source }) => source)
      .filter((source) => {
        const named = read(`${source.title}\n${source.section}`);
        return question.terms.every(
          (q, i) =>
            termWeights[i] === 0 ||
            has(named, q) ||
            [...q.synonyms.keys()].some((synonym) => named.terms.has(synonym)),
        );
      }),
  );
  return { units, weights, topicOnly };
}

const ENDS_CLAUSE = /[;；]$/;

/**
 * The sentence a clause belongs to: "Orders to Malaysia don't include Singapore GST; Malaysian
 * sales tax (10%) is added at checkout." holds the amount for both its clauses, which are read
 * apart only so that a part about another country can be left out.
 */
function wholeSentence(unit: PassageUnit, block: PassageBlock): string {
  if (unit.kind !== 'sentence') return unit.text;
  const units = block.units;
  let first = units.indexOf(unit);
  let last = first;
  if (first < 0) return unit.text;
  while (first > 0 && ENDS_CLAUSE.test(units[first - 1]!.text)) first--;
  while (last < units.length - 1 && ENDS_CLAUSE.test(units[last]!.text)) last++;
  return units
    .slice(first, last + 1)
    .map((u) => u.text)
    .join(' ');
}

const isUnknownWord = (word: string) =>
  word.length >= MIN_TYPO_LENGTH && loadWordVectors().indexOf(word) < 0;

/** One letter added, dropped, changed, or two swapped. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

/** Cosine similarity of two English words' vectors, 0 when either has none. */
function wordSimilarity() {
  const vectors = loadWordVectors();
  const cache = new Map<string, Float32Array | null>();
  const vectorOf = (word: string) => {
    if (!cache.has(word)) cache.set(word, vectors.vectorOf(word));
    return cache.get(word)!;
  };
  return (a: string, b: string) => {
    const x = a === b ? null : vectorOf(a);
    const y = x ? vectorOf(b) : null;
    if (!x || !y) return 0;
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += x[i]! * y[i]!;
    return sum;
  };
}
