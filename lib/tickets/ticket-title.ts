import {
  type CustomerLine,
  findCustomerProblem,
  substantiveText,
} from '@/lib/conversations/customer-problem';
import { truncateText } from '@/lib/text/truncate';

/** Long enough for "Lid of my teapot arrived cracked, order PX-2211", short enough for a list. */
export const MAX_TITLE_CHARS = 72;

// Openers that precede the problem in the same clause: "hi my parcel…", "so basically…".
const OPENER =
  /^(?:(?:hi|hello|hey|hiya|dear \p{L}+|good (?:morning|afternoon|evening)|ok(?:ay)?|so|well|um+|uh+|basically|sorry|thanks?|thank you)\b[\s,.!-]*)+/iu;

/**
 * A ticket's title from the customer's own words for the problem: the opener dropped, one line,
 * capitalised, no closing full stop, cut at a word when long.
 */
export function formatTicketTitle(problem: string): string {
  const line = problem
    .replace(/\s+/g, ' ')
    .trim()
    .replace(OPENER, '')
    .replace(/[\s.,;:!。，；：！]+$/u, '');
  const title = line.charAt(0).toUpperCase() + line.slice(1);
  if (title.length <= MAX_TITLE_CHARS) return title;
  const cut = title.slice(0, MAX_TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  // Text without spaces (Chinese) is cut between characters instead.
  return space > MAX_TITLE_CHARS / 2
    ? `${cut.slice(0, space).replace(/[\s,;:]+$/, '')}…`
    : truncateText(title, MAX_TITLE_CHARS);
}

/**
 * The title of a ticket for a conversation handed to the team: the customer's problem as they
 * put it in the conversation (not "I want to talk to a human", not their last "ok thanks");
 * else `fallback` when it says something, else null.
 */
export function titleFromConversation(
  lines: readonly CustomerLine[],
  fallback?: string,
): string | null {
  const problem = findCustomerProblem(lines);
  if (problem) return formatTicketTitle(problem.text);
  const stated = fallback ? substantiveText(fallback) : '';
  return stated ? formatTicketTitle(stated) : null;
}
