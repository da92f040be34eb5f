/**
 * Whether a message explicitly asks for a person ("I want a human", "get me an agent", 转人工).
 * A message is given one intent, and "this is the third time, still broken, I want a human" reads
 * most like a complaint; but a customer who asks for a person must get one whatever else the
 * message says, so this check overrides the intent classifier (offline and the model's alike).
 */
export function asksForPerson(text: string): boolean {
  return readPersonRequest(text) === 'asks';
}

/**
 * What a message's own words say about a person:
 * - `asks`: an explicit request ("get me an agent", 转人工);
 * - `declines`: a person is named only to say they are not wanted ("I don't need a human");
 * - `asks_when`: it asks when or at what hours people can be reached ("when can I chat with
 *   someone?"), a question the help center answers, not a request for one now;
 * - `mentions`: a person or a way of reaching one is named in other words ("can someone from
 *   your team look at this"), which a trained classifier may rightly read as a request;
 * - `none`: no person and no way of reaching one is named at all.
 */
export type PersonReading = 'asks' | 'declines' | 'asks_when' | 'mentions' | 'none';

export function readPersonRequest(text: string): PersonReading {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ');
  if (CHINESE.test(normalized)) return CHINESE_NEGATED.test(normalized) ? 'declines' : 'asks';
  let negated = false;
  let askedWhen = false;
  for (const match of normalized.matchAll(ENGLISH)) {
    const before = clauseBefore(normalized, match.index);
    if (NEGATION_BEFORE.test(before)) negated = true;
    else if (WHEN_BEFORE.test(before)) askedWhen = true;
    else return 'asks';
  }
  if (askedWhen) return 'asks_when';
  let named = false;
  for (const match of normalized.matchAll(PERSON_WORD)) {
    if (!NEGATION_BEFORE.test(clauseBefore(normalized, match.index))) named = true;
    else negated = true;
  }
  if (named || CHINESE_PERSON_WORD.test(normalized)) return 'mentions';
  return negated ? 'declines' : 'none';
}

/**
 * Whether a trained classifier's "asks for a human" can stand: not when the message names no
 * person or way of reaching one ("Write me a poem" is no request for a person, however a
 * classifier scores it), says it wants none, or asks when people are available.
 */
export function allowsPersonRequest(text: string): boolean {
  const reading = readPersonRequest(text);
  return reading === 'asks' || reading === 'mentions';
}

const clauseBefore = (text: string, index: number) =>
  text
    .slice(Math.max(0, index - 24), index)
    .split(CLAUSE_END)
    .pop()!;

const ROLE = '(?:human|person|agent|representative|rep|operator|support agent)';
const ANYONE = '(?:somebody|someone|staff)';
const ARTICLE = '(?:a |an |some |to a |to an |with a |with an )?(?:real |actual |live |human )?';

const ENGLISH = new RegExp(
  [
    `\\b(?:speak|talk|chat)(?:ing)? (?:to|with) ${ARTICLE}(?:${ROLE}|${ANYONE})\\b`,
    `\\b(?:i|we)(?: want| need| would like|'d like| demand) ${ARTICLE}${ROLE}\\b`,
    `\\b(?:get|give|connect|transfer|put) me (?:to |through to |with )?${ARTICLE}(?:${ROLE}|${ANYONE})\\b`,
    '\\b(?:real|actual|live) (?:human|person|agent)\\b',
    '\\bhuman (?:agent|support|help|being)\\b',
    '\\b(?:escalate|hand) (?:this|me|it) (?:over )?to (?:a |an )?(?:human|person|agent|supervisor|manager)\\b',
    '\\b(?:speak|talk) to (?:your |a |the )?(?:manager|supervisor)\\b',
  ].join('|'),
  'g',
);

const CLAUSE_END = /[.!?;,]/;

/** "I don't need a human", "no need to talk to an agent": the words, not the request. */
const NEGATION_BEFORE =
  /\b(?:don't|do not|doesn't|no need to|not|never|without)\s*(?:\S+\s*){0,2}$/;

/** "when can I", "what time can I", "what are your hours to": a question about availability. */
const WHEN_BEFORE =
  /\b(?:when|what time|what hours|which hours|which days|how late|how early|until when)\b/;

/** Words that name a person or a way of reaching one, in any phrasing of a request. */
const PERSON_WORD =
  /\b(?:human|person|people|someone|somebody|anyone|anybody|agent|representative|rep|operator|staff|team|manager|supervisor|employee|call|phone|ring|talk|speak|chat|contact|reach|escalate)\b/g;
const CHINESE_PERSON_WORD = /人工|真人|客服|工作人员|经理|电话|联系/;

const CHINESE =
  /转人工|人工客服|人工服务|找人工|接人工|要人工|真人客服|找真人|要真人|客服人员|找客服|联系客服/;
const CHINESE_NEGATED = /(?:不用|不要|不需要|无需)(?:转)?(?:人工|真人|客服)/;

/** "I need to talk to a person about…", "can I speak with an agent regarding…": the request and its lead-in. */
const ENGLISH_REQUEST = new RegExp(
  `(?:\\b(?:can|could|may) (?:i|we) |\\b(?:i|we)(?: want| need| would like|'d like| demand)(?: to)? |\\bplease )?(?:${ENGLISH.source})(?: (?:about|regarding|concerning|on|for|with))?`,
  'gi',
);
const CHINESE_REQUEST = new RegExp(`(?:我)?(?:想|要|需要)?(?:${CHINESE.source})(?:一下)?`, 'g');

/**
 * The message with its request for a person taken out, leaving what the customer needs help with:
 * "I need to talk to a person about how long refunds take" → "how long refunds take". A draft reply
 * answers that, not how to reach a person (they already have one).
 */
export function withoutPersonRequest(text: string): string {
  if (!asksForPerson(text)) return text;
  return text
    .replace(/[’']/g, "'")
    .replace(ENGLISH_REQUEST, ' ')
    .replace(CHINESE_REQUEST, ' ')
    .replace(/\s+([.,!?;，。！？；])/g, '$1')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,!?;，。！？；]+/u, '')
    .trim();
}
