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
    'know tell help also still one yes ok okay'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;
const HAN = /\p{Script=Han}/u;

/** Lower-cased word tokens; runs of Chinese characters become overlapping bigrams. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().normalize('NFKC').replace(/['’]/g, '').matchAll(WORD)) {
    const word = match[0];
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
    return [/^[a-z]+$/.test(token) ? stemmer(token) : token];
  });
}

export function toTermSet(text: string): Set<string> {
  return new Set(toTerms(text));
}
