import { asc, lte, sql } from 'drizzle-orm';
import { categories, classifierExamples } from '@/db/schema';
import { loadTaxonomyAndClassifiers } from '@/lib/classify/classifier-store';
import {
  classifyOffline,
  classifyWithModel,
  type MessageContext,
} from '@/lib/classify/classify-message';
import type { Classification } from '@/lib/classify/schema';
import type { AppContext } from '@/lib/context';
import { getMetrics } from '@/lib/observability/metrics';
import { aiTelemetry } from '@/lib/observability/telemetry';

const FEW_SHOT_PER_LABEL = 3;

/**
 * Classifies with the configured model when there is one, offline otherwise — and always offline
 * when `offlineOnly` (the customer declined AI processing by an external model).
 */
export async function classifyCustomerMessage(
  app: AppContext,
  text: string,
  {
    offlineOnly = false,
    ...context
  }: Omit<MessageContext, 'categories'> & { offlineOnly?: boolean },
): Promise<Classification> {
  const { db } = app.database;
  if (app.config.model.provider === 'offline' || offlineOnly) {
    const { taxonomy, classifiers } = await loadTaxonomyAndClassifiers(db);
    return classifyOffline(classifiers, text, { ...context, categories: taxonomy });
  }
  const taxonomy = (
    await db.select({ slug: categories.slug }).from(categories).orderBy(asc(categories.slug))
  ).map((c) => c.slug);
  const full = { ...context, categories: taxonomy };
  // The first few examples of each label are the few-shot; the rest stay in the database.
  const ranked = db
    .select({
      kind: classifierExamples.kind,
      label: classifierExamples.label,
      text: classifierExamples.text,
      rank: sql<number>`row_number() over (partition by ${classifierExamples.kind}, ${classifierExamples.label} order by ${classifierExamples.createdAt}, ${classifierExamples.id})`.as(
        'rank',
      ),
    })
    .from(classifierExamples)
    .as('ranked');
  const fewShot = await db
    .select({ kind: ranked.kind, label: ranked.label, text: ranked.text })
    .from(ranked)
    .where(lte(ranked.rank, FEW_SHOT_PER_LABEL))
    .orderBy(ranked.kind, ranked.label, ranked.rank);
  return classifyWithModel(
    {
      model: app.model,
      cache: app.cache,
      ttlSeconds: app.config.classify.cacheTtlSeconds,
      examples: fewShot,
      onCacheLookup: (hit) =>
        getMetrics().classificationCache.inc({ result: hit ? 'hit' : 'miss' }),
      telemetry: aiTelemetry(app.config, 'classify'),
    },
    text,
    full,
  );
}
