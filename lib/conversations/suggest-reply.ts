import { generateText } from 'ai';
import { answerInstructions } from '@/lib/ai/prompts';
import { citedIndexes } from '@/lib/ai/sources';
import { conversationCustomerDeclined } from '@/lib/consent/queries';
import type { AppContext } from '@/lib/context';
import { listMessages } from '@/lib/conversations/queries';
import { TandemError } from '@/lib/errors';
import { aiTelemetry } from '@/lib/observability/telemetry';
import { getAssistantIdentity } from '@/lib/settings/settings';

const RECENT_CUSTOMER_MESSAGES = 3;

export interface SuggestedReply {
  /** A draft for the agent to edit; null when the knowledge base has nothing relevant. */
  text: string | null;
  sources: { slug: string; title: string }[];
  confidence: number;
}

/**
 * A reply drafted from the knowledge base for what the customer asked last, by the same model
 * that answers customers (offline or configured). The agent edits it before sending.
 */
export async function suggestReply(
  app: AppContext,
  conversationId: string,
): Promise<SuggestedReply> {
  if (
    app.config.model.provider !== 'offline' &&
    (await conversationCustomerDeclined(app.database.db, conversationId))
  ) {
    throw new TandemError(
      'conflict:consent',
      'This customer declined AI processing, so their messages are not sent to the model to draft a reply. Please write the reply yourself.',
    );
  }
  const messages = await listMessages(app.database.db, conversationId);
  const asked = messages
    .filter((m) => m.role === 'customer')
    .slice(-RECENT_CUSTOMER_MESSAGES)
    .map((m) => m.content);
  const question = asked.at(-1);
  if (!question) return { text: null, sources: [], confidence: 0 };

  let retrieval = await app.kb.retrieve(question, { limit: 4 });
  if (retrieval.confidence < app.config.chat.answerMinConfidence && asked.length > 1) {
    // The last message may be a follow-up ("still broken"): read it with what came before.
    retrieval = await app.kb.retrieve(asked.join('\n'), { limit: 4 });
  }
  if (retrieval.confidence < app.config.chat.answerMinConfidence) {
    return { text: null, sources: [], confidence: retrieval.confidence };
  }
  const { passages } = retrieval;
  const result = await generateText({
    model: app.model,
    instructions: answerInstructions(await getAssistantIdentity(app.database.db), passages),
    messages: [{ role: 'user', content: question }],
    telemetry: aiTelemetry(app.config, 'suggest_reply'),
  });
  const cited = citedIndexes(result.text).flatMap((n) =>
    passages[n - 1] ? [passages[n - 1]!] : [],
  );
  const sources = [
    ...new Map(cited.map((p) => [p.slug, { slug: p.slug, title: p.title }])).values(),
  ];
  // Agents write in their own voice: the draft drops the bot's [n] markers and links the articles instead.
  const body = result.text.replace(/\s?\[\d+\]/g, '').trim();
  const links = sources.map((s) => `- [${s.title}](/kb/${s.slug})`).join('\n');
  return {
    text: links ? `${body}\n\nMore in our help center:\n${links}` : body,
    sources,
    confidence: retrieval.confidence,
  };
}
