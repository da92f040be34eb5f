import { toSearchTerms } from '@/lib/text/terms';

/**
 * Why a message is declined without searching the help center:
 * - `instructions`: it asks for the assistant's own instructions or configuration, or is nothing
 *   but an attempt to override them;
 * - `other_customer`: it asks for another customer's personal details or account;
 * - `persona`: it asks the assistant to become someone else or to drop its rules.
 */
export type DeclineReason = 'instructions' | 'other_customer' | 'persona';

export interface MessageScreen {
  decline: DeclineReason | null;
  /**
   * The message with its manipulation framing (fake system tags, "ignore previous instructions",
   * claimed authority) taken out: what is left is an ordinary question, searched as such.
   */
  question: string;
}

/*
 * Patterns of each class of attack rather than known attack strings: each is a request verb or
 * framing word joined to what it targets, with the words an attacker varies left open. Text is
 * NFKC-normalised first and matched ignoring case, so full-width letters match too.
 */
const SOME = String.raw`(?:\s+(?:all|any|of|the|your|my|these|those|every|each|such))*`;
const PRIOR =
  '(?:previous|prior|above|earlier|preceding|former|existing|original|initial|old|system|safety|default|developer|hidden|current)';
const RULES =
  '(?:instructions?|prompts?|rules?|directions?|directives?|guidelines?|guardrails?|context|programming|restrictions?|constraints?|limitations?)';

/** Framing that tries to change who the assistant obeys; removed before the question is read. */
const FRAMING: RegExp[] = [
  // "Ignore all previous instructions", "disregard the rules above", "forget your guidelines".
  new RegExp(
    String.raw`\b(?:ignore|disregard|forget|override|overrule|bypass|skip|abandon|discard|neglect|set aside)${SOME}(?:\s+${PRIOR})*\s+${RULES}(?:\s+(?:above|before|so far|you(?:'ve| have)? (?:been )?(?:given|received|told)))?`,
    'giu',
  ),
  // "Disregard the above", "forget everything before this".
  /\b(?:ignore|disregard|forget)\s+(?:the\s+|everything\s+|all\s+|anything\s+|what(?:ever)?\s+(?:was|i|you)\s+\w+\s+)*(?:above|before(?:\s+this)?|previously|so\s+far)\b/giu,
  // Fake conversation markup: </user>, <system>, [INST], <<SYS>>, <|im_start|>, ### System:
  /<\/?\s*\|?\s*(?:system|user|assistant|developer|instructions?|inst|im_start|im_end|sys|tool)\s*\|?\s*>(?:\s*(?:system|user|assistant|developer)\b)?|\[\/?\s*(?:system|inst|assistant|admin)\s*\]|<<\/?\s*sys\s*>>|#{2,}\s*(?:system|instructions?|admin)\b:?/giu,
  // "SYSTEM OVERRIDE:", "admin mode", "developer mode enabled", "sudo", "jailbreak".
  /\b(?:system|admin(?:istrator)?|developer|debug|god|maintenance|root|dan)\s+(?:override|mode|command|access|message|notice|prompt)(?:\s+(?:enabled|activated|on|engaged))?\s*:?|(?:^|\n)\s*system\s*:|\bsudo\b|\bjail\s?break(?:ing)?\b/giu,
  // Claimed authority: "you are authorised to…", "I am your developer", "I have admin access".
  /\byou(?:'re| are)?\s+(?:now\s+|hereby\s+|fully\s+)*(?:authori[sz]ed|allowed|permitted|cleared|approved|empowered|entitled)\s+to\b|\bi(?:'m| am)\s+(?:your|the|an?)\s+(?:developer|admin(?:istrator)?|owner|creator|programmer|engineer|supervisor|boss)\b|\bi\s+have\s+(?:admin|root|developer|full|special)\s+(?:access|rights|permissions?|privileges)\b|\b(?:this is|as)\s+an?\s+(?:authori[sz]ed\s+)?(?:test|audit|drill|admin(?:istrator)? request)\b,?/giu,
  /(?:忽略|无视|忘记|忘掉|不要理会|别管|跳过|覆盖|绕过)(?:掉)?(?:之前|以前|先前|上面|上述|前面|以上|原来|原有|原先|你的|所有|全部|一切|的)*(?:指令|指示|提示词?|规则|设定|要求|命令|限制|说明|约束)/giu,
  /系统(?:覆盖|指令|消息|通知)\s*[:：]|(?:管理员|开发者|调试|上帝)模式|你(?:已经|现在)?被授权|我是你的(?:开发者|管理员|创建者|主人)/giu,
];

/** Asking for the assistant's own prompt, instructions or configuration. */
const INSTRUCTIONS: RegExp[] = [
  /\b(?:print|show|reveal|tell|give|repeat|output|display|share|dump|leak|list|recite|write|spell|paste|copy|send|expose|disclose|read)\b(?:\s+(?:me|us|out|back|all|of|the|your|full|whole|entire|complete|exact|original|initial|hidden|secret|internal|verbatim))*\s+(?:system|initial|hidden|secret|internal|original|developer|pre-?)\s*(?:prompts?|instructions?|messages?|rules|configuration|config|directives?)/iu,
  /\b(?:what|which)\s+(?:are|were|is)\s+your\s+(?:exact\s+|original\s+|initial\s+|hidden\s+|secret\s+|system\s+)*(?:instructions|prompt|directives)\b|\brepeat\s+(?:the\s+)?(?:words|text|everything|all)\s+(?:above|before)\b|\byour\s+system\s+prompt\b/iu,
  /(?:系统|初始|隐藏|原始|内部)(?:提示词|指令|prompt)|你的(?:提示词|指令|初始设定|系统提示)|(?:告诉|发给|给|输出|打印|显示|重复|透露|说出)(?:我|出)?(?:你的)?(?:全部|所有|完整的?)?(?:系统提示|指令|提示词)/iu,
];

const PERSONAL = String.raw`(?:e-?mails?(?:\s+address(?:es)?)?|(?:home\s+|delivery\s+|shipping\s+)?address(?:es)?|phone(?:\s+numbers?)?|mobile(?:\s+numbers?)?|names?|passwords?|invoices?(?:\s+numbers?)?|payments?|cards?(?:\s+numbers?)?|plans?|account(?:\s+details)?|details|data|information|info|orders?(?:\s+history)?|purchases?|subscriptions?|birthdays?|balances?|records?|profiles?|tickets?|conversations?|chats?)`;
const PEOPLE = String.raw`(?:customers?|users?|clients?|members?|shoppers?|buyers?|people|persons?|subscribers?)(?!\s+(?:service|support|care|centre|center|team|portal|agreement|guide))`;
const QUANTITY = String.raw`(?:(?:last|first|previous|recent|latest|top)\s+(?:\d+|few|several|ten|five|three|two)\s+)`;
/** Someone other than the customer, as a target of a request. */
const THEM = [
  // "the names and emails of the last 5 customers", "addresses of other users".
  String.raw`${PERSONAL}(?:\s*(?:,|and|&|or)\s*${PERSONAL})*\s+(?:of|for|from|belonging\s+to)\s+(?:the\s+|your\s+|all\s+|every\s+|other\s+|another\s+|some\s+|those\s+|these\s+)*${QUANTITY}?(?:other\s+|previous\s+|recent\s+|past\s+|registered\s+|existing\s+)*${PEOPLE}\b`,
  // "all customers' emails", "another user's order", "the last 5 customers you chatted with".
  String.raw`(?:other|another|all|every|each|previous|recent|past|${QUANTITY})\s*${PEOPLE}(?:'s?|s')?(?:\s+(?:\w+\s+){0,5}?${PERSONAL}\b|\s+(?:you|that|who)\b)`,
  String.raw`someone\s+else's\s+${PERSONAL}`,
  // "his email address", "her last invoice".
  String.raw`(?:his|her)\s+(?:\w+\s+){0,2}?${PERSONAL}\b`,
  // "the account for user demo-ben", "details of customer 1042".
  String.raw`(?:the\s+)?(?:${PERSONAL}|account|profile)\s+(?:for|of)\s+(?:the\s+)?(?:user|customer|member|client)\s+\S+`,
].join('|');
const REQUEST = String.raw`\b(?:list|show|give|tell|send|share|export|dump|print|provide|fetch|find|look\s+up|lookup|pull\s+up|read|reveal|display|output|forward|check|get|confirm|what\s+(?:is|are|was|were))\b`;

/** Asking for other customers' (or another named person's) personal details. */
const OTHER_CUSTOMER: RegExp[] = [
  new RegExp(String.raw`${REQUEST}(?:\s+\S+){0,8}?\s+(?:${THEM})`, 'iu'),
  /(?:告诉|给我|发给|列出|查一下|查询|查查|查看|显示|提供|导出|打印|说出|透露)[^。？！?!，,]{0,12}?(?:(?:其他|其它|别的|别人|所有|全部|每个|每位|之前|最近)(?:的)?(?:\d+|几)?(?:个|位)?(?:客户|用户|顾客|会员|人|买家)(?:的)?|(?:他|她)的)(?:邮箱|电话|手机号?|地址|账号|账户|密码|订单|发票|信息|资料|数据|名字|姓名|付款|套餐)/iu,
];

/** Asking the assistant to be someone or something else, or to drop its rules. */
const PERSONA: RegExp[] = [
  /\blet(?:'s|\s+us)\s+(?:roleplay|role-play|role\s+play|pretend)\b|\b(?:pretend|act|behave|roleplay|role-play|role\s+play|pose)[:,]?\s+(?:to\s+be|that\s+you(?:'re|\s+are)|you(?:'re|\s+are)|as(?:\s+if)?|like)\b|\byou\s+are\s+now\s+(?:a|an|the|my|in)\b|\b(?:from\s+now\s+on|for\s+the\s+rest\s+of\s+(?:this|the)\s+(?:chat|conversation)),?\s+you\b|\b(?:imagine|suppose|assume)\s+(?:that\s+)?you(?:'re|\s+are|\s+were)\s+(?:a|an|the|my|no\s+longer)\b|\byou(?:'re|\s+are)\s+no\s+longer\b|\b(?:unrestricted|uncensored|unfiltered|jailbroken)\s+(?:ai|assistant|bot|chatbot|mode|model|version)\b|\b(?:assistant|ai|bot|chatbot|model|you)\s+(?:with\s+no|without(?:\s+any)?)\s+(?:rules|restrictions|filters|guidelines|limits)\b/iu,
  /(?:假装|扮演|充当|假设你是|想象你是|你现在是|从现在(?:开始|起)你|你不再是|没有(?:任何)?(?:限制|规则)的?(?:助手|AI|机器人))/iu,
];

/**
 * Screens a customer message for instruction injection: what it asks for (the assistant's
 * instructions, another customer's data, a different persona) is declined; manipulation framing
 * around an ordinary question is removed and the question answered as any other. Pure.
 */
export function screenMessage(text: string): MessageScreen {
  const normalised = text.normalize('NFKC').replace(/[’‘`]/g, "'");
  if (OTHER_CUSTOMER.some((pattern) => pattern.test(normalised))) {
    return { decline: 'other_customer', question: text };
  }
  if (INSTRUCTIONS.some((pattern) => pattern.test(normalised))) {
    return { decline: 'instructions', question: text };
  }
  if (PERSONA.some((pattern) => pattern.test(normalised))) {
    return { decline: 'persona', question: text };
  }
  let rest = normalised;
  for (const pattern of FRAMING) rest = rest.replace(pattern, ' ');
  if (rest === normalised) return { decline: null, question: text };
  // Only framing, nothing asked: an attempt to take over, declined as such.
  const question = rest
    .replace(/\s+/g, ' ')
    .replace(/^[\p{P}\s]+/u, '')
    .trim();
  if (toSearchTerms(question).length === 0) return { decline: 'instructions', question: text };
  return { decline: null, question };
}

const DECLINES: Record<string, Record<DeclineReason, string>> = {
  en: {
    instructions:
      "I can't help with that. I'm here to answer questions about our service from our help center, and my instructions stay private. Would you like me to connect you with a person from our support team?",
    other_customer:
      "I'm sorry, I can't share or look up another customer's details — we keep every customer's information private, even from people close to them. Would you like me to connect you with a person from our support team?",
    persona:
      "I can't take on another role or set aside how I work. I'm here to answer questions about our service from our help center. Would you like me to connect you with a person from our support team?",
  },
  zh: {
    instructions:
      '抱歉，这个我帮不了。我只根据帮助中心回答与我们服务有关的问题，我的内部指令不对外公开。需要我为您转接我们的客服人员吗？',
    other_customer:
      '抱歉，我不能查询或透露其他客户的信息——每位客户的资料我们都严格保密，即使是亲友询问也一样。需要我为您转接我们的客服人员吗？',
    persona:
      '抱歉，我不能扮演其他角色，也不能改变我的工作方式。我只根据帮助中心回答与我们服务有关的问题。需要我为您转接我们的客服人员吗？',
  },
  ms: {
    instructions:
      'Maaf, saya tidak dapat membantu dengan itu. Saya menjawab soalan tentang perkhidmatan kami daripada pusat bantuan, dan arahan saya kekal sulit. Adakah anda mahu saya hubungkan anda dengan seseorang daripada pasukan sokongan kami?',
    other_customer:
      'Maaf, saya tidak boleh berkongsi atau mencari butiran pelanggan lain — maklumat setiap pelanggan kami rahsiakan. Adakah anda mahu saya hubungkan anda dengan seseorang daripada pasukan sokongan kami?',
    persona:
      'Maaf, saya tidak boleh mengambil peranan lain atau mengetepikan cara saya bekerja. Saya menjawab soalan tentang perkhidmatan kami daripada pusat bantuan. Adakah anda mahu saya hubungkan anda dengan seseorang daripada pasukan sokongan kami?',
  },
};

/** The polite decline, with the offer of a person, in the customer's language (else English). */
export function declineReply(reason: DeclineReason, language: string): string {
  return (DECLINES[language] ?? DECLINES.en!)[reason];
}
