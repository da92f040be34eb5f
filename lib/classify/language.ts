// The extra-small n-gram database: on short support messages in en/zh/ms/ta it measured as
// accurate as the large one while costing ~30 MB of heap instead of ~140 MB.
import { eld } from 'eld/extrasmall';

export interface DetectedLanguage {
  /** ISO 639-1 code: en, zh, ms, ta, … */
  code: string;
  /** 0 … 1. */
  confidence: number;
}

const DEFAULT_LANGUAGE = 'en';

// Below these a message ("ok", "hi", "tq", "boleh") says too little about its language for a
// statistical guess to beat the conversation's previous language.
const MIN_WORDS = 2;
const MIN_LETTERS = 8;
// Up to this many words a close runner-up is still plausible: "password reset" scores Italian
// just ahead of English, so the expected language wins when it is within the margin.
const SHORT_TEXT_WORDS = 3;
const SHORT_TEXT_MARGIN = 0.12;

// Confidence when the text carries no usable signal: the conversation's language is a better bet
// than the desk's default, but neither is evidence from this message.
const FALLBACK_CONFIDENCE = 0.4;
const DEFAULT_CONFIDENCE = 0.2;

const WORD = /[\p{L}\p{M}]+/gu;
const HAN = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HANGUL_WORD = /^[\p{Script=Hangul}\p{M}]+$/u;
const TAMIL_WORD = /^[\p{Script=Tamil}\p{M}]+$/u;

/**
 * The language of a customer message. Han, kana, Hangul and Tamil script decide on their own;
 * other text goes to the n-gram detector, and text too short to tell keeps `fallback` (the
 * conversation's previous language), else English, with low confidence.
 */
export function detectLanguage(text: string, fallback?: string): DetectedLanguage {
  const preferred = fallback ?? DEFAULT_LANGUAGE;
  const lowConfidence = fallback ? FALLBACK_CONFIDENCE : DEFAULT_CONFIDENCE;

  const byScript = detectByScript(text);
  if (byScript) return byScript;

  const words = text.normalize('NFKC').match(WORD) ?? [];
  const letters = words.reduce((sum, word) => sum + word.length, 0);
  if (words.length < MIN_WORDS || letters < MIN_LETTERS) {
    return { code: preferred, confidence: lowConfidence };
  }

  const result = eld.detect(text);
  const scores = result.getScores();
  const top = result.language;
  if (!top) return { code: preferred, confidence: lowConfidence };

  const topScore = scores[top] ?? 0;
  const short = words.length <= SHORT_TEXT_WORDS;
  const preferredScore = scores[preferred];
  if (
    short &&
    top !== preferred &&
    preferredScore !== undefined &&
    preferredScore >= topScore - SHORT_TEXT_MARGIN
  ) {
    return { code: preferred, confidence: lowConfidence };
  }

  // eld's scores are similarity averages, not probabilities; scaling the winner's score by how
  // much text backed it keeps a three-word guess below a full sentence.
  const lengthFactor = Math.min(1, 0.5 + words.length / 10);
  const reliability = result.isReliable() ? 1 : 0.6;
  return { code: top, confidence: round(Math.min(0.95, topScore * lengthFactor * reliability)) };
}

/**
 * Some scripts name their language outright, so they are counted rather than guessed: Han
 * (Chinese), kana (Japanese, whose kanji are Han too), Hangul (Korean) and Tamil. One Han or
 * kana character carries about a word, so characters are weighed against the words in other
 * scripts: "iPhone 坏了" is Chinese, "my name is 王伟" is not.
 */
function detectByScript(text: string): DetectedLanguage | null {
  const han = text.match(HAN)?.length ?? 0;
  const kana = text.match(KANA)?.length ?? 0;
  const words = text.replace(HAN, ' ').replace(KANA, ' ').match(WORD) ?? [];
  const hangul = words.filter((word) => HANGUL_WORD.test(word)).length;
  const tamil = words.filter((word) => TAMIL_WORD.test(word)).length;
  const total = han + kana + words.length;

  if (kana > 0) return han + kana >= total / 2 ? scriptResult('ja', han + kana, total) : null;
  if (han > 0 && han >= total / 2) return scriptResult('zh', han, total);
  if (hangul > 0 && hangul >= total / 2) return scriptResult('ko', hangul, total);
  if (tamil > 0 && tamil >= total / 2) return scriptResult('ta', tamil, total);
  return null;
}

function scriptResult(code: string, dominant: number, total: number): DetectedLanguage {
  const share = dominant / total;
  return { code, confidence: round(0.5 + 0.45 * share) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
