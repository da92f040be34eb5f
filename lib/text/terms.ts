import { stemmer } from 'stemmer';

// Function words carry no topic: dropping them lets "How do I reset my password?" match on
// "reset" and "password" alone, and keeps relevance confidence about content words.
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing down during each few for from further ' +
    'get got had has have having he her here hers herself him himself his how i if in into is it ' +
    'its itself just let me more most my myself no nor not now of off on once only or other our ' +
    'ours ourselves out over own please same she should so some such than thank thanks that the ' +
    'their theirs them themselves then there these they this those through to too under until up ' +
    'us very was we were what when where which while who whom why will with would you your yours ' +
    'yourself yourselves hi hello hey im ive id dont cant wont isnt didnt doesnt ill want need ' +
    'whats hows wheres whos whens whys ' +
    'know tell help also still one yes ok okay'
  ).split(' '),
);

// Other forms of the stopword verbs ("helped", "wants", "needed", "thanked") say no more than
// they do: "thanks, that helped" holds no topic to search for.
const STOPWORD_STEMS = new Set(['help', 'want', 'need', 'know', 'tell', 'thank']);

// Chinese common function characters: alone they match nearly every question ("的", "了").
const CJK_STOP_CHARS = new Set([...'的了吗呢吧啊呀么是我你他她它们在和与及就都也还又很']);

// Kept for search although they are stopwords for relevance: "get an invoice" and "check an
// invoice" are different requests, and IDF already weighs such common verbs down.
const SEARCH_KEEPS = new Set(['get', 'got']);
const WORD = /[\p{L}\p{N}]+/gu;
const HAN = /\p{Script=Han}/u;
const LATIN = /^[a-z]+$/;

/** Lower-cased word tokens; runs of Chinese characters become overlapping bigrams. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of wordsOf(text)) {
    if (HAN.test(word)) {
      const chars = [...word];
      if (chars.length === 1) tokens.push(word);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
    } else {
      tokens.push(word);
    }
  }
  return tokens;
}

/** Content terms used for search and relevance: stopwords dropped, English words stemmed. */
export function toTerms(text: string): string[] {
  return tokenize(text).flatMap((token) => {
    if (STOPWORDS.has(token)) return [];
    if (!LATIN.test(token)) return [token];
    const stem = stemmer(token);
    return STOPWORD_STEMS.has(stem) ? [] : [stem];
  });
}

export function toTermSet(text: string): Set<string> {
  return new Set(toTerms(text));
}

/**
 * Terms for the search index. Latin-script words as in toTerms. Chinese has no spaces, and a
 * word segmenter alone misses the many compounds it does not know (花呗, 借呗) while bigrams alone
 * miss single-character words (钱, 卡): each run of Han characters gives its content characters
 * and its bigrams, so a paraphrase that shares either still matches.
 */
export function toSearchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of wordsOf(text)) {
    if (HAN.test(word)) {
      const chars = [...word];
      for (let i = 0; i < chars.length; i++) {
        if (!CJK_STOP_CHARS.has(chars[i]!)) terms.push(chars[i]!);
        if (i + 1 < chars.length) terms.push(chars[i]! + chars[i + 1]!);
      }
    } else if (!STOPWORDS.has(word) || SEARCH_KEEPS.has(word)) {
      const term = LATIN.test(word) ? stemmer(word) : word;
      if (!STOPWORD_STEMS.has(term)) terms.push(term);
    }
  }
  return terms;
}

/** Lower-cased, NFKC-normalised words (Latin words, digit runs, runs of CJK characters). */
export function wordsOf(text: string): string[] {
  return Array.from(
    text.toLowerCase().normalize('NFKC').replace(/['’]/g, '').matchAll(WORD),
    (match) => match[0],
  );
}

export function isCjk(word: string): boolean {
  return HAN.test(word);
}

/** Text cut into words that keep their leading whitespace: the pieces a reply is streamed in. */
export function streamingTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}
