import type { CustomerProfile } from '@/db/schema';

const NAME_PATTERNS = [
  /\bmy name is ([\p{L}][\p{L}'’-]{0,30}(?: [\p{Lu}][\p{L}'’-]{0,30})?)/iu,
  /\b(?:call me|this is) ([\p{Lu}][\p{L}'’-]{0,30})\b/u,
  /\b[Ii](?:'m|’m| am) ([\p{Lu}][\p{L}'’-]{1,30})(?=[\s,.!]|$)/u,
  /我(?:叫|的名字是|是)([\p{Script=Han}A-Za-z]{1,12})/u,
];

const NOT_NAMES = new Set(
  'sorry fine good okay ok here back new still waiting having trying looking unable not so very just'.split(
    ' ',
  ),
);

// "my name is bob and …" is typed in lower case too, so a second name cannot be told by its
// capital: it is any word but these.
const NOT_SURNAMES = new Set(
  'and but or so i im my me from here again too also with at in on of to for the is was please thanks'.split(
    ' ',
  ),
);

const PREFERENCE_PATTERNS = [
  /\bi(?:'d| would)? prefer ([^.!?\n]{3,80})/i,
  /\bplease (?:always )?(?:contact|reach|email|call|text|message) me (?:by|via|on|at) ([^.!?\n]{2,60})/i,
  /\b(?:don't|do not|never) (?:call|phone|text|email) me\b[^.!?\n]{0,60}/i,
  /我(?:更)?喜欢([^。！？\n]{2,40})/u,
];

const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b/i;

/** Every phrase in which a customer states something about themselves, as read below. */
export const PROFILE_PHRASES: readonly RegExp[] = [...NAME_PATTERNS, ...PREFERENCE_PATTERNS, EMAIL];

/** The facts a customer states about themselves in a message: name, email and preferences. */
export function extractProfileFacts(text: string): Pick<CustomerProfile, 'preferences'> & {
  name?: string;
  email?: string;
} {
  const facts: { name?: string; email?: string; preferences?: string[] } = {};
  const email = EMAIL.exec(text)?.[0];
  if (email) facts.email = email.toLowerCase();
  for (const pattern of NAME_PATTERNS) {
    const match = pattern.exec(text);
    const [first, second] = match?.[1]?.trim().split(' ') ?? [];
    const candidate =
      second && !NOT_SURNAMES.has(second.toLowerCase()) ? `${first} ${second}` : first;
    if (candidate && !NOT_NAMES.has(candidate.toLowerCase())) {
      facts.name = candidate.charAt(0).toUpperCase() + candidate.slice(1);
      break;
    }
  }
  const preferences = PREFERENCE_PATTERNS.flatMap((pattern) => {
    const match = pattern.exec(text);
    return match ? [match[0].trim().replace(/\s+/g, ' ')] : [];
  });
  if (preferences.length > 0) facts.preferences = preferences;
  return facts;
}
