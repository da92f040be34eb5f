import { generateText, type ModelMessage } from 'ai';
import { answerInstructions } from '@/lib/ai/prompts';
import { citedIndexes } from '@/lib/ai/sources';
import { withoutPersonRequest } from '@/lib/classify/person-request';
import { conversationCustomerDeclined } from '@/lib/consent/queries';
import type { AppContext } from '@/lib/context';
import {
  customerLines,
  findCustomerProblem,
  findOpenQuestion,
  sinceLastResolved,
} from '@/lib/conversations/customer-problem';
import { listMessages, type Message } from '@/lib/conversations/queries';
import { TandemError } from '@/lib/errors';
import { summarizeConversation } from '@/lib/memory/summarize';
import { aiTelemetry } from '@/lib/observability/telemetry';
import { getAssistantIdentity } from '@/lib/settings/settings';

export interface SuggestedReply {
  /** A draft for the agent to edit; null when the knowledge base has nothing relevant. */
  text: string | null;
  sources: { slug: string; title: string }[];
  confidence: number;
}

const NOTHING: SuggestedReply = { text: null, sources: [], confidence: 0 };

/**
 * A reply drafted from the knowledge base for the customer's open question — their latest message
 * that says what they need, not the "ok" or "hello?" after it — read with the whole conversation,
 * by the same model that answers customers (offline or configured). The agent edits it before
 * sending.
 */
export async function suggestReply(
  app: AppContext,
  conversationId: string,
): Promise<SuggestedReply> {
  const { db } = app.database;
  if (
    app.config.model.provider !== 'offline' &&
    (await conversationCustomerDeclined(db, conversationId))
  ) {
    throw new TandemError(
      'conflict:consent',
      'This customer declined AI processing, so their messages are not sent to the model to draft a reply. Please write the reply yourself.',
    );
  }
  const all = await listMessages(db, conversationId);
  // What was settled before the last resolution is not the question now, unless nothing came since.
  const current = sinceLastResolved(all);
  const history = current.some((m) => m.role === 'customer') ? current : all;
  const asked = history.filter((m) => m.role === 'customer');
  const lines = customerLines(asked);
  const open = findOpenQuestion(lines);
  if (!open) return NOTHING;

  // The customer already has a person; the draft answers what they need, not how to reach one.
  let question = withoutPersonRequest(open.text);
  let retrieval = await app.kb.retrieve(question, { limit: 4 });
  // A follow-up ("it still does that") is read with the problem it follows.
  const problem = findCustomerProblem(lines.slice(0, open.index));
  if (retrieval.confidence < app.config.chat.answerMinConfidence && problem) {
    question = `${withoutPersonRequest(problem.text)}\n${question}`;
    retrieval = await app.kb.retrieve(question, { limit: 4 });
  }
  if (retrieval.confidence < app.config.chat.answerMinConfidence) {
    return { ...NOTHING, confidence: retrieval.confidence };
  }
  const { passages } = retrieval;
  const asking = asked[open.index]!;
  const result = await generateText({
    model: app.model,
    instructions: answerInstructions(await getAssistantIdentity(db), passages, {
      language: asking.metadata.classification?.language,
      summary: summarizeConversation(history),
    }),
    messages: draftingMessages(
      history.slice(0, history.indexOf(asking)).slice(-app.config.memory.window),
      question,
    ),
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

/**
 * The conversation as the model reads it, ending on the open question: what came after it (an
 * "ok", "hello?") is in the summary, not a message the draft would answer instead.
 */
function draftingMessages(before: readonly Message[], question: string): ModelMessage[] {
  const earlier = before.flatMap((m): ModelMessage[] => {
    if (m.role === 'customer') return [{ role: 'user', content: m.content }];
    if (m.role === 'ai' || m.role === 'agent') return [{ role: 'assistant', content: m.content }];
    return [];
  });
  return [...earlier, { role: 'user', content: question }];
}
