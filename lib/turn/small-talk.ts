import { extractProfileFacts, PROFILE_PHRASES } from '@/lib/memory/extract-profile-facts';
import type { AssistantIdentity } from '@/lib/settings/schema';

type SmallTalk = 'greeting' | 'thanks' | 'goodbye' | 'introduction';

/**
 * The reply to a message that is only a greeting, a thank-you, a goodbye or the customer telling
 * us about themselves ("hi", "thanks, that helped!", "谢谢", "Hi, my name is Alice"): a friendly
 * line instead of a search of the help center, which has no answer to "hello" and would either
 * say it does not know or answer something nobody asked. null when the message says anything more
 * ("hi, how do I reset my password?").
 */
export function smallTalkReply(
  text: string,
  language: string,
  identity: AssistantIdentity,
): string | null {
  const kinds = smallTalkIn(text);
  if (!kinds) return null;
  const replies = REPLIES[language] ?? REPLIES.en!;
  if (kinds.has('goodbye')) return replies.goodbye;
  if (kinds.has('thanks')) return replies.thanks;
  if (kinds.has('introduction')) {
    const { name } = extractProfileFacts(text);
    return name ? replies.welcome(name) : replies.noted;
  }
  return replies.greeting(identity);
}

/** What kinds of small talk the message is made of, or null when it holds anything else. */
function smallTalkIn(text: string): Set<SmallTalk> | null {
  const kinds = new Set<SmallTalk>();
  // Names are read case and all, before the rest is lower-cased.
  let rest = text.normalize('NFKC');
  for (const phrase of PROFILE_PHRASES) {
    rest = rest.replace(new RegExp(phrase.source, `${phrase.flags}g`), () => {
      kinds.add('introduction');
      return ' ';
    });
  }
  rest = rest.toLowerCase().replace(/[’']/g, "'");
  for (const [kind, pattern] of PHRASES) {
    rest = rest.replace(pattern, () => {
      kinds.add(kind);
      return ' ';
    });
  }
  if (kinds.size === 0) return null;
  // Apostrophes stay: "that's all" is filler, "that s all" would not read as it.
  const leftover = rest.replace(/[\p{P}\p{S}\s]+/gu, (run) => (run === "'" ? run : ' ')).trim();
  return leftover === '' || FILLER.test(leftover) ? kinds : null;
}

const PHRASES: [SmallTalk, RegExp][] = [
  [
    'thanks',
    /\b(?:thanks?(?: you)?(?: (?:so|very) much| a lot| again)?|thx|ty|cheers|much appreciated|appreciate it)\b|谢谢(?:你|您)?|多谢|感谢|terima kasih/gu,
  ],
  [
    'goodbye',
    /\b(?:good ?bye|bye(?: bye)?|see (?:you|ya)(?: later)?|have a (?:nice|good|great) (?:day|evening|weekend))\b|再见|拜拜|selamat tinggal/gu,
  ],
  [
    'greeting',
    /\b(?:hi+|hey+|hello+|hiya|howdy|yo|good (?:morning|afternoon|evening|day)|greetings)\b(?: there| all| team)?|你好|您好|嗨|哈喽|早上好|下午好|晚上好|\b(?:hai|helo|selamat (?:pagi|petang|malam))\b/gu,
  ],
];

/** What may stand beside small talk without making it a question: "ok", "that helped", a name. */
const FILLER =
  /^(?:(?:ok(?:ay)?|cool|great|perfect|awesome|nice|got it|understood|that(?:'s| was| is)? (?:helpful|great|perfect|all)|that helped|it worked|all good|no(?:pe)?|nothing else|and|also|(?:is |are )?(?:any ?one|any ?body|you) (?:there|around)|i'm good|that'?s it|for now|(?:very|so|really)? ?helpful|好的|明白了|知道了|没有了|就这些|没事了|好)\s*)+$/u;

interface Replies {
  /** Introduces the assistant as the business's when one is named, else by its own name. */
  greeting: (identity: AssistantIdentity) => string;
  thanks: string;
  goodbye: string;
  welcome: (name: string) => string;
  noted: string;
}

const REPLIES: Record<string, Replies> = {
  en: {
    greeting: ({ assistantName, businessName }) =>
      `Hi! I'm ${businessName ? `the ${businessName} assistant` : assistantName}. What can I help you with today?`,
    welcome: (name) => `Nice to meet you, ${name}! What can I help you with today?`,
    noted: "Thanks, I've noted that. What can I help you with today?",
    thanks: "You're welcome! Is there anything else I can help with?",
    goodbye: 'Thanks for chatting with us. Have a great day!',
  },
  zh: {
    greeting: ({ assistantName, businessName }) =>
      `您好！我是 ${businessName ? `${businessName} 的智能助手` : assistantName}，请问有什么可以帮您？`,
    welcome: (name) => `${name}，您好！很高兴认识您，请问有什么可以帮您？`,
    noted: '好的，我记下了。请问有什么可以帮您？',
    thanks: '不客气！还有其他可以帮您的吗？',
    goodbye: '感谢您的咨询，祝您生活愉快！',
  },
  ms: {
    greeting: ({ assistantName, businessName }) =>
      `Hai! Saya ${businessName ? `pembantu ${businessName}` : assistantName}. Apa yang boleh saya bantu hari ini?`,
    welcome: (name) => `Selamat berkenalan, ${name}! Apa yang boleh saya bantu hari ini?`,
    noted: 'Terima kasih, saya sudah mencatatnya. Apa yang boleh saya bantu hari ini?',
    thanks: 'Sama-sama! Ada apa-apa lagi yang boleh saya bantu?',
    goodbye: 'Terima kasih kerana berbual dengan kami. Semoga hari anda menyenangkan!',
  },
};
