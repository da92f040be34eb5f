import { asc } from 'drizzle-orm';
import { categories, classifierExamples } from '@/db/schema';
import type { App } from '@/lib/app';
import { loadClassifiers } from '@/lib/classify/classifier-store';
import {
  classifyOffline,
  classifyWithModel,
  type MessageContext,
} from '@/lib/classify/classify-message';
import type { Classification } from '@/lib/classify/schema';

const FEW_SHOT_PER_LABEL = 3;

/** Classifies with the configured model when there is one, offline otherwise. */
export async function classifyCustomerMessage(
  app: App,
  text: string,
  context: Omit<MessageContext, 'categories'>,
): Promise<Classification> {
  const { db } = app.database;
  const taxonomy = (
    await db.select({ slug: categories.slug }).from(categories).orderBy(asc(categories.slug))
  ).map((c) => c.slug);
  const full = { ...context, categories: taxonomy };
  if (app.config.model.provider === 'offline') {
    return classifyOffline(await loadClassifiers(db), text, full);
  }
  const examples = await db
    .select({
      kind: classifierExamples.kind,
      label: classifierExamples.label,
      text: classifierExamples.text,
    })
    .from(classifierExamples)
    .orderBy(asc(classifierExamples.createdAt));
  const perLabel = new Map<string, number>();
  const fewShot = examples.filter((e) => {
    const key = `${e.kind}:${e.label}`;
    const seen = perLabel.get(key) ?? 0;
    perLabel.set(key, seen + 1);
    return seen < FEW_SHOT_PER_LABEL;
  });
  return classifyWithModel(
    {
      model: app.model,
      cache: app.cache,
      ttlSeconds: app.config.classify.cacheTtlSeconds,
      examples: fewShot,
    },
    text,
    full,
  );
}
