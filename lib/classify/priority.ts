import { type Intent, PRIORITIES, type Priority, type Sentiment } from '@/lib/classify/schema';

/** What the embedding site says about the customer (plan, VIP flag, a priority of its own …). */
export type CustomerContext = Readonly<Record<string, unknown>>;

export interface PriorityInput {
  text: string;
  category: string;
  intent: Intent;
  sentiment: Sentiment;
  customerContext?: CustomerContext;
}

export interface PriorityAssessment {
  priority: Priority;
  /** Machine-readable: 'security', 'legal_threat', 'outage', 'payment_failure', 'frustration', … */
  reasons: string[];
}

/** Frustration at which a message moves up one level. */
export const HIGH_FRUSTRATION = 0.7;

// Plans whose customers the site has promised faster handling.
const PRIORITY_PLANS = new Set([
  'pro',
  'premium',
  'business',
  'enterprise',
  'vip',
  'gold',
  'platinum',
]);

interface Signal {
  reason: string;
  priority: Priority;
  patterns: readonly RegExp[];
}

// Patterns run on lower-cased text with apostrophes removed ("can't" → "cant"). A few Malay
// phrasings sit beside English and Chinese because ms is one of the desk's languages.
const SIGNALS: readonly Signal[] = [
  {
    // Someone else may be in the account or spending the money right now.
    reason: 'security',
    priority: 'urgent',
    patterns: [
      /\bhack(?:ed|ing)?\b|\bcompromised\b|\bphishing\b|\bidentity theft\b|\bdata (?:breach|leak)\b/,
      /\b(?:unauthori[sz]ed|fraudulent)\s+(?:charges?|transactions?|payments?|purchases?|access|logins?|activity|orders?)\b/,
      /\bsomeone\s+(?:else\s+)?(?:has\s+)?(?:logged in|logged into|logs in|logs into|got into|accessed|is using|was using|used|changed)\s+(?:to\s+)?(?:my|our|the)\s+(?:account|card|password|email|profile|login)\b/,
      /\bi (?:did not|didnt|never) (?:make|authori[sz]e|place|order) (?:this|these|that|those|the)\b/,
      /\b(?:card|account|password) (?:was |has been |got )?stolen\b|\bstolen (?:card|account|password)\b/,
      /\bpassword (?:was |has been )?changed (?:without|but i)\b/,
      /(?:账号|帐号|账户|帐户|号)被(?:盗|黑|入侵|冒用)|盗号|盗刷|被黑|钓鱼|异地登录|陌生人登录|未经?授权|不是我本人|信息泄露/,
      /\bdigodam\b|\bakaun saya (?:dicuri|digodam)\b/,
    ],
  },
  {
    // A legal threat needs someone with authority to respond, and fast.
    reason: 'legal_threat',
    priority: 'urgent',
    patterns: [
      /\b(?:lawyer|attorney|solicitor|lawsuit|legal action|class action|small claims|ombudsman|consumer (?:tribunal|protection|affairs))\b/,
      /\b(?:sue|suing|sued)\s+(?:you|your|them|the|this|u)\b|\b(?:going to|gonna|will|ill|to|and)\s+sue\b|\bsuing\b/,
      /\b(?:take|taking) (?:you|this|them|the company) to court\b|\bsee you in court\b|\breport (?:you|this) to (?:the )?(?:ftc|bbb|accc|regulator|authorities|police)\b/,
      /律师|起诉|诉讼|法院|法律(?:途径|手段|责任|行动)|消协|消费者协会|12315|市场监管/,
      /\bpeguam\b|\btindakan undang[- ]undang\b|\btribunal tuntutan pengguna\b/,
    ],
  },
  {
    // Nobody can use the product: every minute costs the customer.
    reason: 'outage',
    priority: 'high',
    patterns: [
      /\b(?:site|website|app|service|server|system|platform|checkout|dashboard|portal|api|everything)\s+(?:is\s+|are\s+|has\s+|went\s+|seems\s+)?(?:down|offline|unreachable|not loading|wont load|not responding|unavailable|gone down)\b/,
      /\b(?:cant|cannot|unable to|can not) (?:log ?in|sign ?in|access|open|use|load) [^.!?]*\bat all\b/,
      /\bnothing (?:works|is working|loads|is loading)\b|\b(?:completely|totally|entirely) (?:broken|down)\b/,
      /\boutage\b|\bdown for (?:everyone|everybody|all)\b|\b(?:500|502|503|504) (?:error|bad gateway)\b|\bservice unavailable\b|\bbad gateway\b/,
      /(?:网站|网页|页面|官网|系统|平台|服务器|应用|app)\s*(?:打不开|访问不了|无法访问|进不去|崩了|挂了|宕机|瘫痪)|(?:完全|根本|都)(?:登录不了|无法登录|登不上|进不去|用不了|打不开)|什么都用不了|全部用不了|服务中断/,
      /\b(?:laman web|sistem|aplikasi) (?:tidak boleh dibuka|down|rosak)\b/,
    ],
  },
  {
    // Money is moving wrongly or a purchase cannot complete.
    reason: 'payment_failure',
    priority: 'high',
    patterns: [
      /\b(?:double[- ]charged|charged (?:me )?(?:twice|two times|double|2x)|duplicate (?:charges?|payments?)|charged more than once)\b/,
      /\bcard (?:was |is |got |keeps getting |keeps being |has been )?(?:declined|rejected|refused)\b|\bdeclined (?:card|payment)\b/,
      /\bpayments? (?:has |have |was |is |keeps |keep )?(?:failed|failing|fails|declined|rejected|not going through|didnt go through|did not go through|wont go through)\b/,
      /\b(?:cant|cannot|unable to|can not) (?:pay|complete (?:my |the )?(?:payment|purchase|checkout))\b|\btransaction (?:failed|declined)\b/,
      /\b(?:charged|paid|money (?:was )?(?:taken|deducted)) but (?:no|not|never|didnt|did not|the order)\b/,
      /扣(?:了)?两次|重复扣款|多扣|被扣(?:了)?两次|(?:支付|付款|交易|扣款)(?:失败|不成功)|无法(?:支付|付款)|付不了|(?:卡|银行卡|信用卡)被拒/,
      /\bdicaj dua kali\b|\bpembayaran (?:gagal|ditolak)\b|\bkad (?:saya )?ditolak\b/,
    ],
  },
];

const LOW_INTENTS = new Set<Intent>(['greeting', 'feedback']);
const LOW_CATEGORIES = new Set(['feature_request']);

/**
 * How soon a person should look at a message. Content signals set a floor (security and legal
 * threats urgent, outages and failed payments high), high frustration raises it one level, and
 * the site's customer context can raise it further; nothing here ever lowers it.
 */
export function assessPriority(input: PriorityInput): PriorityAssessment {
  const text = input.text.normalize('NFKC').toLowerCase().replace(/['’]/g, '');
  const signals = SIGNALS.filter((signal) => signal.patterns.some((p) => p.test(text)));

  let rank: number;
  const reasons: string[] = [];
  if (signals.length > 0) {
    rank = Math.max(...signals.map((signal) => rankOf(signal.priority)));
    reasons.push(...signals.map((signal) => signal.reason));
  } else if (LOW_INTENTS.has(input.intent)) {
    rank = rankOf('low');
    reasons.push(input.intent);
  } else if (LOW_CATEGORIES.has(input.category)) {
    rank = rankOf('low');
    reasons.push(input.category);
  } else {
    rank = rankOf('medium');
    reasons.push('routine');
  }

  if (input.sentiment.frustration >= HIGH_FRUSTRATION && rank < PRIORITIES.length - 1) {
    rank += 1;
    reasons.push('frustration');
  }

  const floor = readContextFloor(input.customerContext);
  if (floor > rank) {
    rank = floor;
    reasons.push('customer_context');
  }

  return { priority: PRIORITIES[rank]!, reasons };
}

/** The least priority the site's context asks for: its own priority, a VIP flag or a paid plan. */
function readContextFloor(context: CustomerContext | undefined): number {
  if (!context) return 0;
  let floor = 0;
  const stated = typeof context.priority === 'string' ? context.priority.toLowerCase() : '';
  if (isPriority(stated)) floor = rankOf(stated);
  if (context.vip === true || context.vip === 'true') floor = Math.max(floor, rankOf('high'));
  for (const key of ['plan', 'tier']) {
    const value = context[key];
    if (typeof value === 'string' && PRIORITY_PLANS.has(value.trim().toLowerCase())) {
      floor = Math.max(floor, rankOf('high'));
    }
  }
  return floor;
}

function isPriority(value: string): value is Priority {
  return (PRIORITIES as readonly string[]).includes(value);
}

function rankOf(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/**
 * A conversation's priority: the most pressing of its customer's messages since it was last
 * resolved. A hacked account stays urgent after "ok thanks"; only resolving it clears that.
 */
export function worstPriority(priorities: readonly Priority[]): Priority | null {
  if (priorities.length === 0) return null;
  return PRIORITIES[Math.max(...priorities.map(rankOf))]!;
}
