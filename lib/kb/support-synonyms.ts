import { toSearchTerms } from '@/lib/text/terms';

/**
 * Words customers and help articles use for the same thing on any support desk. A customer asks
 * to "get my money back for a purchase", the article says "refund an order": without these the
 * two share no term. Each line is one group; expansion is one way (query side) and weighted
 * below the customer's own words, so a group can be generous without drowning exact matches.
 */
const GROUPS: string[][] = [
  ['order', 'purchase', 'purchased', 'bought'],
  ['invoice', 'bill', 'billing', 'receipt'],
  ['charge', 'charged', 'debit', 'payment'],
  ['pay', 'payment', 'paying'],
  ['refund', 'money back', 'reimburse', 'reimbursement', 'rebate', 'restitution', 'compensation'],
  ['cancel', 'cancellation', 'terminate', 'termination', 'revoke'],
  ['delete', 'remove', 'removal', 'close', 'erase', 'deactivate'],
  // Closing an account is asked for as cancelling it as often as deleting it.
  ['cancel', 'close', 'delete', 'deactivate', 'terminate'],
  ['account', 'profile'],
  ['password', 'pwd', 'passcode', 'passphrase', 'pin'],
  ['login', 'log in', 'sign in', 'signin', 'logon'],
  ['signup', 'sign up', 'register', 'registration', 'enrol', 'enroll'],
  ['create', 'open', 'new', 'setup'],
  ['recover', 'reset', 'retrieve', 'restore', 'forgot', 'forgotten', 'lost'],
  ['change', 'modify', 'update', 'edit', 'amend', 'correct', 'switch'],
  ['switch', 'upgrade', 'downgrade', 'move'],
  ['shipping', 'delivery', 'deliver', 'shipment', 'postage', 'dispatch'],
  ['parcel', 'package', 'shipment'],
  ['address', 'location'],
  ['track', 'tracking', 'status', 'where is'],
  ['courier', 'carrier', 'delivery driver'],
  ['email', 'e-mail', 'mail', 'inbox'],
  ['subscription', 'membership', 'plan', 'subscribe'],
  ['unsubscribe', 'opt out', 'stop emails'],
  ['discount', 'promo', 'promotion', 'coupon', 'voucher'],
  ['human', 'agent', 'person', 'representative', 'operator', 'someone'],
  ['customer service', 'customer support', 'support', 'customer care', 'helpdesk', 'service desk'],
  ['policy', 'cases', 'circumstances', 'situations', 'conditions', 'eligible', 'guarantee'],
  ['get', 'request', 'obtain', 'receive', 'ask for'],
  ['check', 'see', 'view', 'show', 'look up', 'verify', 'find out'],
  ['contact', 'reach', 'call', 'talk', 'speak', 'get in touch'],
  ['complaint', 'complain', 'claim', 'grievance', 'reclamation'],
  ['arrive', 'arrival', 'eta', 'delivery time', 'expected delivery', 'how soon'],
  ['add', 'enter', 'set up', 'submit', 'provide'],
  ['review', 'feedback', 'rating', 'opinion'],
  ['problem', 'issue', 'error', 'trouble', 'fault', 'bug'],
  ['fee', 'cost', 'price', 'pricing', 'charge', 'penalty'],
  ['card', 'credit card', 'debit card'],
  ['broken', 'damaged', 'smashed', 'cracked', 'defective', 'faulty'],
  ['return', 'send back'],
  ['exchange', 'swap', 'replace', 'replacement'],
  ['wrong', 'incorrect', 'mistaken'],
  ['late', 'delayed', 'delay', 'overdue'],
  ['two-factor', '2fa', 'mfa', 'two step', 'verification code', 'authenticator'],
  ['website', 'site', 'web page', 'webpage'],
  ['app', 'application', 'mobile app'],
  ['crash', 'freeze', 'hang', 'not loading', 'blank'],
  ['item', 'product', 'article', 'goods'],
  ['newsletter', 'mailing list'],
  ['hours', 'opening times', 'what time', 'available'],
  ['data', 'personal information', 'information', 'details'],
  ['download', 'export', 'save', 'backup'],
  ['退款', '退钱', '退还'],
  ['账号', '账户', '帐号', '帐户'],
  ['密码', '口令'],
  ['还款', '还钱'],
  ['为什么', '为何', '怎么回事'],
  ['怎么', '如何', '怎样'],
  ['不能', '无法', '不可以', '用不了'],
  ['取消', '关闭', '注销'],
  ['额度', '限额'],
];

const phrases = buildPhraseIndex(GROUPS);

function buildPhraseIndex(groups: string[][]) {
  const byKey = new Map<string, string[][]>();
  for (const group of groups) {
    const members = group.map((phrase) => toSearchTerms(phrase)).filter((t) => t.length > 0);
    for (const member of members) {
      const key = member.join(' ');
      const others = members.filter((other) => other.join(' ') !== key);
      byKey.set(key, [...(byKey.get(key) ?? []), ...others]);
    }
  }
  const longest = Math.max(...[...byKey.keys()].map((key) => key.split(' ').length));
  return { byKey, longest };
}

/**
 * For each of the query's terms, the terms of every synonym group that one of its words or
 * phrases belongs to, at `weight` (split over the words of a multi-word synonym, so "money back"
 * for "refund" weighs no more than one word would). A weight of 0 finds none.
 */
export function findSynonyms(terms: string[], weight: number): Map<string, Map<string, number>> {
  const alternatives = new Map<string, Map<string, number>>(
    terms.map((term) => [term, new Map<string, number>()]),
  );
  if (weight <= 0) return alternatives;
  for (let start = 0; start < terms.length; start++) {
    for (let length = 1; length <= phrases.longest && start + length <= terms.length; length++) {
      const span = terms.slice(start, start + length);
      for (const alternative of phrases.byKey.get(span.join(' ')) ?? []) {
        const share = weight / alternative.length;
        for (const owner of span) {
          const found = alternatives.get(owner)!;
          for (const term of alternative) {
            if (term !== owner) found.set(term, Math.max(found.get(term) ?? 0, share));
          }
        }
      }
    }
  }
  return alternatives;
}
