import { generateText } from 'ai';
import { abstentionReply, answerInstructions } from '@/lib/ai/prompts';
import { citedIndexes } from '@/lib/ai/sources';
import { detectLanguage } from '@/lib/classify/language';
import type { AppContext } from '@/lib/context';
import { aiTelemetry } from '@/lib/observability/telemetry';
import { getAssistantIdentity } from '@/lib/settings/settings';
import { ANSWER_PASSAGES } from './types';

/** Passages shown to the admin: those the bot answers from, and a few runners-up. */
const SHOWN_PASSAGES = 8;

export interface TriedPassage {
  /** The passage (kb_chunks) id. */
  id: string;
  documentId: string;
  slug: string;
  title: string;
  sectionPath: string;
  content: string;
  score: number;
  /** Whether the answer was written from this passage (the top ones, when confident enough). */
  usedForAnswer: boolean;
}

export interface TriedQuestion {
  question: string;
  passages: TriedPassage[];
  confidence: number;
  /** Below this confidence the bot answers without sources, which means it abstains. */
  threshold: number;
  answer: {
    text: string;
    /** True when the answer cites nothing: the customer would be offered a person. */
    abstained: boolean;
    sources: { documentId: string; slug: string; title: string }[];
  };
}

/**
 * What a customer asking `question` would get from the bot: the retrieved passages with their
 * scores, the confidence, and the grounded answer or the abstention, by the same model, prompt
 * and threshold as the chat pipeline. Nothing is stored; tools are left out because they act for
 * a customer and there is none.
 */
export async function tryQuestion(app: AppContext, question: string): Promise<TriedQuestion> {
  const [retrieval, identity] = await Promise.all([
    app.kb.retrieve(question, { limit: SHOWN_PASSAGES }),
    getAssistantIdentity(app.database.db),
  ]);
  const threshold = app.config.chat.answerMinConfidence;
  const grounded = retrieval.confidence >= threshold;
  const sources = grounded ? retrieval.passages.slice(0, ANSWER_PASSAGES) : [];

  const language = detectLanguage(question).code;
  const result = await generateText({
    model: app.model,
    instructions: answerInstructions(identity, sources, { language }),
    messages: [{ role: 'user', content: question }],
    telemetry: aiTelemetry(app.config, 'try_question'),
  });
  const cited = citedIndexes(result.text).flatMap((n) => (sources[n - 1] ? [sources[n - 1]!] : []));
  return {
    question,
    passages: retrieval.passages.map((p, index) => ({
      id: p.id,
      documentId: p.documentId,
      slug: p.slug,
      title: p.title,
      sectionPath: p.sectionPath,
      content: p.content,
      score: round(p.score),
      usedForAnswer: grounded && index < ANSWER_PASSAGES,
    })),
    confidence: round(retrieval.confidence),
    threshold,
    answer: {
      text: result.text.trim() || abstentionReply(language),
      abstained: cited.length === 0,
      sources: [
        ...new Map(
          cited.map((p) => [p.slug, { documentId: p.documentId, slug: p.slug, title: p.title }]),
        ).values(),
      ],
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
