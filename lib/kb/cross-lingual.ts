import { generateText } from 'ai';
import type { AppContext } from '@/lib/context';
import { isCjk, toTerms, wordsOf } from '@/lib/text/terms';
import { type Glossary, getGlossary, glossTranslate } from './glossary';
import type { Retrieval } from './types';

const isChinese = (text: string) => wordsOf(text).some(isCjk);

/**
 * Retrieval that crosses languages: a Chinese question the knowledge base cannot answer in
 * Chinese is asked again in English — translated by the model when one is configured, through
 * the admins' glossary offline — and the better-grounded result wins. When the English result
 * wins but the Chinese search found a Chinese article on the same topic (its title, through the
 * glossary, shares a word with the English article's), its best passage leads: the translation
 * says the question is answerable, the customer's own-language article says it in their words.
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
  if (across.confidence <= direct.confidence) return direct;
  const found = across.passages[0];
  const glossary = await getGlossary(ctx.database.db);
  const own = found
    ? direct.passages.find((p) => isChinese(p.title) && sameTopic(p.title, found.title, glossary))
    : undefined;
  if (own) {
    const passages = [own, ...across.passages.filter((p) => p.id !== own.id)];
    return {
      ...across,
      passages: passages.slice(0, across.passages.length),
      translatedQuery: translated,
    };
  }
  return { ...across, translatedQuery: translated };
}

function sameTopic(chineseTitle: string, englishTitle: string, glossary: Glossary): boolean {
  const english = new Set(toTerms(englishTitle));
  return toTerms(glossTranslate(chineseTitle, glossary)).some((term) => english.has(term));
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
