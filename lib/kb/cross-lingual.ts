import { generateText } from 'ai';
import type { AppContext } from '@/lib/context';
import { isCjk, wordsOf } from '@/lib/text/terms';
import { getGlossary, glossTranslate } from './glossary';
import type { Retrieval } from './types';

const isChinese = (text: string) => wordsOf(text).some(isCjk);

/**
 * Retrieval that crosses languages: a Chinese question the knowledge base cannot answer in
 * Chinese is asked again in English — translated by the model when one is configured, through
 * the admins' glossary offline — and the better-grounded result wins.
 */
export async function retrieveAcrossLanguages(
  ctx: Pick<AppContext, 'kb' | 'config' | 'model' | 'database'>,
  question: string,
  options: { limit?: number; category?: string } = {},
): Promise<Retrieval & { translatedQuery?: string }> {
  const direct = await ctx.kb.retrieve(question, options);
  if (!isChinese(question) || direct.confidence >= ctx.config.chat.answerMinConfidence)
    return direct;
  const translated = await translateToEnglish(ctx, question);
  if (!translated) return direct;
  const across = await ctx.kb.retrieve(translated, options);
  return across.confidence > direct.confidence
    ? { ...across, translatedQuery: translated }
    : direct;
}

async function translateToEnglish(
  ctx: Pick<AppContext, 'config' | 'model' | 'database'>,
  question: string,
): Promise<string> {
  if (ctx.config.model.provider === 'openai') {
    const { text } = await generateText({
      model: ctx.model,
      instructions:
        'Translate the customer-support question into English. Reply with the translation only, no quotes or notes.',
      prompt: question,
    });
    return text.trim();
  }
  return glossTranslate(question, await getGlossary(ctx.database.db));
}
