import { toTermSet, toTerms } from '@/lib/text/terms';

export interface SummaryInput {
  role: 'customer' | 'ai' | 'agent' | 'system';
  content: string;
}

const SENTENCE = /[^.!?。！？\n]+[.!?。！？]?/gu;
const MAX_SENTENCES = 4;

/**
 * An extractive summary: the customer's opening request, then the sentences that carry the
 * conversation's most repeated content words, in the order they were said — enough for a
 * person taking over to know what happened without reading everything.
 */
export function summarizeConversation(messages: SummaryInput[]): string {
  const customerSentences = messages
    .filter((m) => m.role === 'customer')
    .flatMap((m) => (m.content.match(SENTENCE) ?? []).map((s) => s.trim()))
    .filter((s) => toTerms(s).length >= 2);
  if (customerSentences.length === 0) return '';

  const frequency = new Map<string, number>();
  for (const sentence of customerSentences) {
    for (const term of toTermSet(sentence)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  }
  const salience = (sentence: string) => {
    const terms = [...toTermSet(sentence)];
    return terms.reduce((sum, t) => sum + (frequency.get(t) ?? 0), 0) / Math.sqrt(terms.length);
  };

  const [opening, ...rest] = customerSentences;
  const picked = new Set(
    rest
      .map((sentence, index) => ({ index, score: salience(sentence) }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, MAX_SENTENCES - 1)
      .map((s) => s.index),
  );
  const chosen = [opening!, ...rest.filter((_, i) => picked.has(i))];
  const actions = messages
    .filter((m) => m.role !== 'customer')
    .flatMap((m) => /\b(?:TKT-\d+)\b/.exec(m.content)?.[0] ?? [])
    .filter((v, i, all) => all.indexOf(v) === i);
  const summary = `Customer: ${chosen.join(' ')}`;
  return actions.length > 0 ? `${summary} Tickets: ${actions.join(', ')}.` : summary;
}
