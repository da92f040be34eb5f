import type { Passage } from '@/lib/kb/types';

export interface PromptSource {
  index: number;
  title: string;
  section: string;
  text: string;
}

const SOURCE_BLOCK =
  /<source index="(\d+)" title="([^"]*)" section="([^"]*)">\n([\s\S]*?)\n<\/source>/g;

const escapeAttribute = (value: string) => value.replace(/"/g, '”');

/** Help-center passages as the model sees them: numbered so the answer can cite them as [n]. */
export function formatSources(passages: Passage[]): string {
  return passages
    .map(
      (p, i) =>
        `<source index="${i + 1}" title="${escapeAttribute(p.title)}" section="${escapeAttribute(p.sectionPath)}">\n${p.content.replaceAll('</source>', '')}\n</source>`,
    )
    .join('\n');
}

export function parseSources(text: string): PromptSource[] {
  return [...text.matchAll(SOURCE_BLOCK)].map((m) => ({
    index: Number(m[1]),
    title: m[2]!,
    section: m[3]!,
    text: m[4]!,
  }));
}

/** The [n] markers an answer used, in order of first use. */
export function citedIndexes(answer: string): number[] {
  const seen = new Set<number>();
  for (const m of answer.matchAll(/\[(\d{1,2})\]/g)) seen.add(Number(m[1]));
  return [...seen];
}

const PROFILE_BLOCK = /<customer-profile>\n([\s\S]*?)\n<\/customer-profile>/;

/** What Tandem remembers about the customer, as the model sees it. */
export function formatProfile(profile: Record<string, unknown>): string {
  return `<customer-profile>\n${JSON.stringify(profile)}\n</customer-profile>`;
}

export function parseProfile(text: string): Record<string, unknown> {
  const match = PROFILE_BLOCK.exec(text);
  if (!match) return {};
  try {
    const value: unknown = JSON.parse(match[1]!);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * How to say the answer, beyond its sources: the customer's language, whether to acknowledge
 * their frustration or urgency first, and whether they report a problem (a person may be needed).
 */
export interface ReplyContext {
  language?: string;
  acknowledge?: 'frustration' | 'urgency';
  problem?: boolean;
}

const REPLY_CONTEXT_BLOCK = /<reply-context>\n([\s\S]*?)\n<\/reply-context>/;

export function formatReplyContext(context: ReplyContext): string {
  return `<reply-context>\n${JSON.stringify(context)}\n</reply-context>`;
}

export function parseReplyContext(text: string): ReplyContext {
  const match = REPLY_CONTEXT_BLOCK.exec(text);
  if (!match) return {};
  try {
    const value = JSON.parse(match[1]!) as Record<string, unknown>;
    return {
      ...(typeof value.language === 'string' ? { language: value.language } : {}),
      ...(value.acknowledge === 'frustration' || value.acknowledge === 'urgency'
        ? { acknowledge: value.acknowledge }
        : {}),
      ...(value.problem === true ? { problem: true } : {}),
    };
  } catch {
    return {};
  }
}
