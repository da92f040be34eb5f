import { isCjk, toSearchTerms, wordsOf } from '@/lib/text/terms';
import { loadWordVectors, type WordVectors } from '@/lib/text/word-vectors';
import type { IndexedChunk } from './queries';
import { DEFAULT_RETRIEVAL_SETTINGS } from './retrieval-settings';
import { findSynonyms } from './support-synonyms';

export interface LexicalHit {
  chunk: IndexedChunk;
  /** BM25F score: comparable within one query only. */
  score: number;
  /** Share of the query's content (IDF-weighted) that this passage covers, 0..1. */
  coverage: number;
}

/** One term the customer typed, and the terms that may stand in for it, with their weight. */
export interface QueryTerm {
  term: string;
  idf: number;
  alternatives: Map<string, number>;
}

export interface LexicalQuery {
  /** Every term searched for with its weight: the customer's own 1, stand-ins less. */
  weights: Map<string, number>;
  /** The customer's own terms (identifiers dropped), for coverage. */
  own: QueryTerm[];
  /** Weight of a Chinese bigram in ranking (see {@link QueryOptions.hanBigramWeight}). */
  hanBigramWeight: number;
}

export interface QueryOptions {
  /** Weight of a support-desk synonym against 1 for the customer's own word. */
  synonymWeight?: number;
  /**
   * Weight of a Chinese bigram in ranking, against 1 for a character. A Chinese paraphrase keeps
   * the content characters but rewords and reorders the phrases around them ("密码忘了怎么登录",
   * "忘记密码无法登录"); at full weight bigrams rank a question that repeats the customer's
   * phrasing but asks something else above it. Coverage and heading match count bigrams whole.
   */
  hanBigramWeight?: number;
  /**
   * Weight of two adjacent words of the question found next to each other in a chunk ("cancel
   * order", "customer service"), against 1 for each word alone; a pair made with a synonym or a
   * typo correction counts at that stand-in's weight too. 0 searches words alone.
   */
  phraseWeight?: number;
}

export interface IndexOptions {
  /** A title match against 1 for the body; a section heading counts half a title. */
  titleWeight?: number;
}

type Field = 'title' | 'section' | 'content';
const FIELDS: Field[] = ['title', 'section', 'content'];

/**
 * A title states what the whole article answers, so a match there is worth more than one in the
 * body (the weight is a retrieval setting); a section heading sits in between. Length
 * normalisation is per field (BM25F), so a long body does not dilute a title match.
 */
function fieldWeights(titleWeight: number): Record<Field, number> {
  return { title: titleWeight, section: titleWeight / 2, content: 1 };
}
const FIELD_B: Record<Field, number> = { title: 0.5, section: 0.5, content: 0.75 };
const K1 = 1.2;

/** A misspelt word stands for the indexed word one edit away at this weight. */
const TYPO_WEIGHT = 0.8;
/** Shorter words have too many neighbours one edit away to guess which was meant. */
const MIN_FUZZY_LENGTH = 4;

/**
 * A word among this many of the commonest English words is one the customer meant ("seeing" is
 * not a misspelt "seeking"), whether or not the knowledge base uses it.
 */
const COMMON_WORDS = 30_000;

// Digit runs this long are order, ticket or phone numbers: they never name a topic, so a
// question about "order 370795561790" is no less answered by an article without that number.
const IDENTIFIER = /^\d{5,}$/;

interface Posting {
  chunk: number;
  /** Term frequency in each field, in FIELDS order. */
  tf: [number, number, number];
  /** BM25F's saturated term weight, tf~ / (k1 + tf~): fixed once the index is built. */
  saturation: number;
}

/**
 * BM25F over title, section heading and text of every chunk, with support-desk synonyms and
 * typo correction on the query side, plus the document frequencies needed to say how much of a
 * question a passage actually answers: BM25 scores cannot be compared across questions, coverage
 * can, so coverage feeds the relevance confidence.
 */
export class LexicalIndex {
  private readonly chunks: IndexedChunk[];
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: Float64Array[];
  private readonly averageLength: number[];
  private readonly termSets: Set<string>[];
  private readonly headingTerms: Set<string>[];
  private readonly positions = new Map<string, number>();
  private readonly documentTerms = new Map<string, Set<string>>();
  /** One-deletion neighbourhood of every indexed word (SymSpell), for typo-tolerant queries. */
  private readonly deletions = new Map<string, Set<string>>();
  private readonly fieldWeight: Record<Field, number>;

  constructor(
    chunks: IndexedChunk[],
    { titleWeight = DEFAULT_RETRIEVAL_SETTINGS.titleWeight }: IndexOptions = {},
  ) {
    this.chunks = chunks;
    this.fieldWeight = fieldWeights(titleWeight);
    this.lengths = FIELDS.map(() => new Float64Array(chunks.length));
    this.termSets = chunks.map((chunk, index) => {
      this.positions.set(chunk.id, index);
      return this.add(index, [chunk.title, chunk.sectionPath, chunk.content]);
    });
    chunks.forEach((chunk, index) => {
      const terms = this.documentTerms.get(chunk.documentId) ?? new Set<string>();
      for (const term of this.termSets[index]!) terms.add(term);
      this.documentTerms.set(chunk.documentId, terms);
    });
    this.headingTerms = chunks.map(
      (chunk) => new Set(toSearchTerms(`${chunk.title}\n${chunk.sectionPath}`)),
    );
    this.averageLength = this.lengths.map(
      (lengths) => lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, chunks.length),
    );
    for (const postings of this.postings.values()) {
      for (const posting of postings) posting.saturation = this.saturate(posting);
    }
  }

  private saturate({ chunk, tf }: Posting): number {
    let weighted = 0;
    for (let f = 0; f < FIELDS.length; f++) {
      if (tf[f] === 0) continue;
      const field = FIELDS[f]!;
      const relativeLength = this.lengths[f]![chunk]! / (this.averageLength[f]! || 1);
      weighted +=
        (this.fieldWeight[field] * tf[f]!) / (1 - FIELD_B[field] + FIELD_B[field] * relativeLength);
    }
    return weighted / (K1 + weighted);
  }

  private add(index: number, fields: string[]): Set<string> {
    const counts = new Map<string, [number, number, number]>();
    fields.forEach((text, f) => {
      const terms = toSearchTerms(text);
      this.lengths[f]![index] = terms.length;
      for (const term of terms) {
        let tf = counts.get(term);
        if (!tf) {
          tf = [0, 0, 0];
          counts.set(term, tf);
        }
        tf[f]!++;
      }
      // Adjacent words as one phrase term; it counts in no field's length, as it adds no text.
      for (let i = 0; i + 1 < terms.length; i++) {
        const phrase = phraseOf(terms[i]!, terms[i + 1]!);
        if (!phrase) continue;
        let tf = counts.get(phrase);
        if (!tf) {
          tf = [0, 0, 0];
          counts.set(phrase, tf);
        }
        tf[f]!++;
      }
      for (const word of wordsOf(text)) this.addWord(word);
    });
    for (const [term, tf] of counts) {
      let list = this.postings.get(term);
      if (!list) {
        list = [];
        this.postings.set(term, list);
      }
      list.push({ chunk: index, tf, saturation: 0 });
    }
    return new Set([...counts.keys()].filter((term) => !isPhrase(term)));
  }

  private addWord(word: string) {
    if (word.length < MIN_FUZZY_LENGTH || isCjk(word) || this.deletions.get(word)?.has(word)) {
      return;
    }
    for (const variant of [word, ...deletionsOf(word)]) {
      let words = this.deletions.get(variant);
      if (!words) {
        words = new Set();
        this.deletions.set(variant, words);
      }
      words.add(word);
    }
  }

  get size(): number {
    return this.chunks.length;
  }

  chunk(id: string): IndexedChunk | undefined {
    const index = this.positions.get(id);
    return index === undefined ? undefined : this.chunks[index];
  }

  /** Inverse document frequency over chunks (BM25's, always positive). */
  idf(term: string): number {
    const n = this.chunks.length;
    const df = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Analyses a question once so ranking, coverage and reranking agree on its terms. */
  prepare(
    text: string,
    {
      synonymWeight = DEFAULT_RETRIEVAL_SETTINGS.synonymWeight,
      hanBigramWeight = DEFAULT_RETRIEVAL_SETTINGS.hanBigramWeight,
      phraseWeight = DEFAULT_RETRIEVAL_SETTINGS.phraseWeight,
    }: QueryOptions = {},
  ): LexicalQuery {
    const sequence = toSearchTerms(text).filter((term) => !IDENTIFIER.test(term));
    const terms = [...new Set(sequence)];
    const alternatives = findSynonyms(terms, synonymWeight);
    for (const [term, corrections] of this.correctTypos(text)) {
      const found = alternatives.get(term);
      for (const [correction, weight] of corrections) {
        if (found && !found.has(correction)) found.set(correction, weight);
      }
    }
    const weights = new Map<string, number>(terms.map((term) => [term, 1]));
    for (const found of alternatives.values()) {
      for (const [term, weight] of found) {
        weights.set(term, Math.max(weights.get(term) ?? 0, weight));
      }
    }
    if (phraseWeight > 0) {
      const standIns = (term: string) => [[term, 1] as const, ...(alternatives.get(term) ?? [])];
      for (let i = 0; i + 1 < sequence.length; i++) {
        if (!phraseOf(sequence[i]!, sequence[i + 1]!)) continue;
        for (const [first, firstWeight] of standIns(sequence[i]!)) {
          for (const [second, secondWeight] of standIns(sequence[i + 1]!)) {
            const phrase = phraseOf(first, second);
            if (!phrase || !this.postings.has(phrase)) continue;
            const weight = phraseWeight * firstWeight * secondWeight;
            weights.set(phrase, Math.max(weights.get(phrase) ?? 0, weight));
          }
        }
      }
    }
    const own = terms.map((term) => ({
      term,
      idf: this.idf(term),
      alternatives: alternatives.get(term) ?? new Map<string, number>(),
    }));
    return { weights, own, hanBigramWeight };
  }

  /**
   * Words of the question the knowledge base never uses, mapped (by their search term) to indexed
   * words one edit away — a letter missing, extra, wrong or two swapped: "ordedr" → order.
   */
  private correctTypos(text: string): Map<string, Map<string, number>> {
    const corrections = new Map<string, Map<string, number>>();
    for (const word of wordsOf(text)) {
      if (
        word.length < MIN_FUZZY_LENGTH ||
        isCjk(word) ||
        this.deletions.get(word)?.has(word) ||
        isCommonWord(word)
      ) {
        continue;
      }
      const candidates = new Set<string>();
      for (const variant of [word, ...deletionsOf(word)]) {
        for (const known of this.deletions.get(variant) ?? []) {
          if (isOneEditApart(word, known)) candidates.add(known);
        }
      }
      const [term] = toSearchTerms(word);
      if (!term || candidates.size === 0) continue;
      const found = corrections.get(term) ?? new Map<string, number>();
      for (const known of candidates) {
        for (const correction of toSearchTerms(known)) {
          if (correction !== term && this.postings.has(correction)) {
            found.set(correction, TYPO_WEIGHT / candidates.size);
          }
        }
      }
      corrections.set(term, found);
    }
    return corrections;
  }

  query(
    text: string | LexicalQuery,
    limit: number,
    filter?: (chunk: IndexedChunk) => boolean,
  ): LexicalHit[] {
    const query = typeof text === 'string' ? this.prepare(text) : text;
    // Dense accumulators and a bounded top list: a Chinese character or a common word can be in
    // most chunks, and sorting every chunk it touched costs more than scoring them.
    const scores = new Float64Array(this.chunks.length);
    const seen = new Uint8Array(this.chunks.length);
    const touched: number[] = [];
    for (const [term, weight] of query.weights) {
      const postings = this.postings.get(term);
      if (!postings) continue;
      const termWeight = weight * this.idf(term) * rankingWeight(term, query.hanBigramWeight);
      for (const { chunk, saturation } of postings) {
        if (seen[chunk] === 0) {
          seen[chunk] = 1;
          touched.push(chunk);
        }
        scores[chunk]! += termWeight * saturation;
      }
    }
    const top: number[] = [];
    const before = (a: number, b: number) =>
      scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
    for (const chunk of touched) {
      if (top.length === limit && !before(chunk, top[limit - 1]!)) continue;
      if (filter && !filter(this.chunks[chunk]!)) continue;
      let at = top.length;
      while (at > 0 && before(chunk, top[at - 1]!)) at--;
      top.splice(at, 0, chunk);
      if (top.length > limit) top.pop();
    }
    return top.map((chunk) => ({
      chunk: this.chunks[chunk]!,
      score: scores[chunk]!,
      coverage: this.coverage(query, this.chunks[chunk]!.id),
    }));
  }

  /**
   * IDF-weighted share of the question's own terms a chunk contains; a term found only through a
   * synonym or a typo correction counts at that stand-in's weight.
   */
  coverage(query: LexicalQuery, chunkId: string): number {
    const index = this.positions.get(chunkId);
    return index === undefined ? 0 : coverageOf(query, this.termSets[index]!);
  }

  /**
   * The same share over a whole document (all its chunks): a long article often answers one part
   * of a question in the section found and names the rest in another.
   */
  documentCoverage(query: LexicalQuery, documentId: string): number {
    const terms = this.documentTerms.get(documentId);
    return terms ? coverageOf(query, terms) : 0;
  }

  /**
   * The document's coverage of the question's terms the knowledge base uses at all, and the
   * share of the question's terms it never uses: a product name or a place no article mentions
   * says little about whether the article answers the rest ("return a teapot"), while a question
   * made mostly of such words is about something else. The share counts terms, not IDF (an
   * unknown term has the highest IDF of all, so weighting by it would let one name outweigh the
   * question), and a Chinese bigram is unknown only when one of its characters is: most bigrams
   * of a question are not words at all.
   */
  knownCoverage(
    query: LexicalQuery,
    documentId: string,
  ): { knownCoverage: number; unknownShare: number } {
    const terms = this.documentTerms.get(documentId) ?? new Set<string>();
    const known = query.own.filter((own) => this.isKnown(own));
    return {
      knownCoverage: coverageOf({ ...query, own: known }, terms),
      unknownShare: query.own.length > 0 ? 1 - known.length / query.own.length : 0,
    };
  }

  /** Whether any chunk holds the term (for a Chinese bigram, both characters) or a stand-in. */
  private isKnown({ term, alternatives }: QueryTerm): boolean {
    if (this.postings.has(term)) return true;
    // A function character ("我", "的") is never indexed alone and so never unknown.
    const knownChar = (char: string) => this.postings.has(char) || toSearchTerms(char).length === 0;
    if (isCjk(term) && [...term].every(knownChar)) return true;
    for (const alternative of alternatives.keys()) if (this.postings.has(alternative)) return true;
    return false;
  }

  /**
   * IDF-weighted share of a chunk's title and section heading that the question asks about: a
   * heading that the question restates almost whole ("cancel order" for "cancel my purchase")
   * marks the passage written for exactly this question.
   */
  headingMatch(query: LexicalQuery, chunkId: string): number {
    const index = this.positions.get(chunkId);
    if (index === undefined) return 0;
    let total = 0;
    let matched = 0;
    for (const term of this.headingTerms[index]!) {
      const idf = this.idf(term);
      total += idf;
      matched += idf * (query.weights.get(term) ?? 0);
    }
    return total > 0 ? matched / total : 0;
  }
}

/** The phrase term of two adjacent search terms; none across or within Chinese text. */
function phraseOf(first: string, second: string): string | undefined {
  if (first === second || isCjk(first) || isCjk(second)) return undefined;
  return `${first} ${second}`;
}

const isPhrase = (term: string) => term.includes(' ');

function rankingWeight(term: string, hanBigramWeight: number): number {
  return isCjk(term) && [...term].length === 2 ? hanBigramWeight : 1;
}

function coverageOf(query: LexicalQuery, terms: Set<string>): number {
  let total = 0;
  let covered = 0;
  for (const { term, idf, alternatives } of query.own) {
    total += idf;
    let credit = terms.has(term) ? 1 : 0;
    for (const [alternative, weight] of alternatives) {
      if (weight > credit && terms.has(alternative)) credit = weight;
    }
    covered += idf * credit;
  }
  return total > 0 ? covered / total : 0;
}

let vocabulary: WordVectors | null | undefined;

/** Whether the word is a common English word, by its frequency rank in the app's word vectors. */
function isCommonWord(word: string): boolean {
  if (vocabulary === undefined) {
    try {
      vocabulary = loadWordVectors();
    } catch {
      vocabulary = null;
    }
  }
  const rank = vocabulary?.indexOf(word) ?? -1;
  return rank >= 0 && rank < COMMON_WORDS;
}

function deletionsOf(word: string): string[] {
  const variants: string[] = [];
  for (let i = 0; i < word.length; i++) variants.push(word.slice(0, i) + word.slice(i + 1));
  return variants;
}

/** Damerau–Levenshtein distance of exactly one (insertion, deletion, substitution, transposition). */
function isOneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const restA = a.slice(start, endA);
  const restB = b.slice(start, endB);
  if (restA.length <= 1 && restB.length <= 1) return true;
  return restA.length === 2 && restB.length === 2 && restA[0] === restB[1] && restA[1] === restB[0];
}
