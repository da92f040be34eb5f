/**
 * Whether a message explicitly asks for a person ("I want a human", "get me an agent", 转人工).
 * A message is given one intent, and "this is the third time, still broken, I want a human" reads
 * most like a complaint; but a customer who asks for a person must get one whatever else the
 * message says, so this check overrides the intent classifier (offline and the model's alike).
 */
export function asksForPerson(text: string): boolean {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ');
  if (CHINESE.test(normalized)) return !CHINESE_NEGATED.test(normalized);
  for (const match of normalized.matchAll(ENGLISH)) {
    const before = normalized
      .slice(Math.max(0, match.index - 24), match.index)
      .split(CLAUSE_END)
      .pop()!;
    if (!NEGATION_BEFORE.test(before)) return true;
  }
  return false;
}

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
