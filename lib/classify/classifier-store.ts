import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { categories, classifierExamples, classifierModels } from '@/db/schema';
import { scorePredictions, splitTrainTest } from './evaluate';
import { DEFAULT_CATEGORIES, DEFAULT_CATEGORY_NAMES } from './schema';
import {
  type LabelledText,
  loadTextClassifier,
  type SerializedTextClassifier,
  type TextClassifier,
  trainTextClassifier,
} from './text-classifier';

export type ClassifierKind = 'category' | 'intent';
export interface Classifiers {
  category: TextClassifier;
  intent: TextClassifier;
}

const seedDir = path.join(process.cwd(), 'content', 'classifier');
const seedFiles: Record<ClassifierKind, string> = {
  category: 'categories.jsonl',
  intent: 'intents.jsonl',
};

export function parseExamplesJsonl(source: string, origin: string): LabelledText[] {
  return source
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => {
      const row = JSON.parse(line) as Partial<LabelledText>;
      if (typeof row.text !== 'string' || typeof row.label !== 'string' || !row.text.trim()) {
        throw new Error(`${origin} line ${i + 1}: expected {"text": "...", "label": "..."}`);
      }
      return { text: row.text.trim(), label: row.label.trim() };
    });
}

/**
 * The default taxonomy and its labelled examples, on first start; `keep` leaves out examples a
 * desk should not hold (a clean desk drops those naming the demo business).
 */
export async function seedTaxonomy(
  db: Database,
  keep: (example: LabelledText) => boolean = () => true,
): Promise<void> {
  await db
    .insert(categories)
    .values(DEFAULT_CATEGORIES.map((slug) => ({ slug, name: DEFAULT_CATEGORY_NAMES[slug] })))
    .onConflictDoNothing();
  for (const kind of ['category', 'intent'] as const) {
    const file = seedFiles[kind];
    const examples = parseExamplesJsonl(await readFile(path.join(seedDir, file), 'utf8'), file);
    await addClassifierExamples(db, kind, examples.filter(keep), 'seed');
  }
}

export async function addClassifierExamples(
  db: Database,
  kind: ClassifierKind,
  examples: LabelledText[],
  source: 'seed' | 'admin' | 'import',
): Promise<number> {
  if (examples.length === 0) return 0;
  const inserted = await db
    .insert(classifierExamples)
    .values(examples.map((e) => ({ kind, label: e.label, text: e.text, source })))
    .onConflictDoNothing()
    .returning({ id: classifierExamples.id });
  return inserted.length;
}

/**
 * Trains one classifier from its stored examples: first on a fixed 80 % to report accuracy on the
 * held-out 20 %, then on everything for the model that is stored and served.
 */
export async function trainClassifier(
  db: Database,
  kind: ClassifierKind,
): Promise<{ kind: ClassifierKind; examples: number; accuracy: number | null }> {
  const examples = await db
    .select({ text: classifierExamples.text, label: classifierExamples.label })
    .from(classifierExamples)
    .where(eq(classifierExamples.kind, kind));
  if (examples.length === 0) throw new Error(`No ${kind} examples to train on`);
  const { train, test } = splitTrainTest(examples);
  const trainLabels = new Set(train.map((e) => e.label));
  let accuracy: number | null = null;
  if (test.length > 0 && trainLabels.size > 1) {
    const heldOut = trainTextClassifier(train);
    const predictions = test.map((row) => ({
      expected: row.label,
      predicted: heldOut.predict(row.text).label,
    }));
    accuracy = scorePredictions(predictions, trainLabels).accuracy;
  }
  const model = trainTextClassifier(examples);
  await db
    .insert(classifierModels)
    .values({ kind, model: model.toJSON(), exampleCount: examples.length, accuracy })
    .onConflictDoUpdate({
      target: classifierModels.kind,
      set: {
        model: model.toJSON(),
        exampleCount: examples.length,
        accuracy,
        trainedAt: new Date(),
      },
    });
  loaded.delete(kind);
  return { kind, examples: examples.length, accuracy };
}

const loaded = new Map<ClassifierKind, { trainedAt: number; classifier: TextClassifier }>();

type Freshness = { kind: ClassifierKind; trainedAt: Date }[];

/** The stored classifiers, reloaded only when another instance (or an admin) retrained them. */
export async function loadClassifiers(db: Database): Promise<Classifiers> {
  const rows = await db
    .select({ kind: classifierModels.kind, trainedAt: classifierModels.trainedAt })
    .from(classifierModels);
  return (await classifiersAsOf(db, rows)) ?? loadClassifiers(db);
}

/**
 * The taxonomy's slugs and the stored classifiers, as every offline classification needs them:
 * the slugs and the classifiers' freshness come in one statement, the models only when retrained.
 */
export async function loadTaxonomyAndClassifiers(
  db: Database,
): Promise<{ taxonomy: string[]; classifiers: Classifiers }> {
  const rows = await db
    .select({
      kind: classifierModels.kind,
      trainedAt: classifierModels.trainedAt,
      taxonomy: sql<
        string[]
      >`(select coalesce(json_agg(${categories.slug} order by ${categories.slug}), '[]'::json) from ${categories})`,
    })
    .from(classifierModels);
  const classifiers = await classifiersAsOf(db, rows);
  if (!classifiers) return loadTaxonomyAndClassifiers(db);
  return { taxonomy: rows[0]!.taxonomy, classifiers };
}

/** The classifiers at these versions; null when one was missing and has just been trained. */
async function classifiersAsOf(db: Database, rows: Freshness): Promise<Classifiers | null> {
  const result: Partial<Classifiers> = {};
  for (const kind of ['category', 'intent'] as const) {
    const row = rows.find((r) => r.kind === kind);
    if (!row) {
      await trainClassifier(db, kind);
      return null;
    }
    const cached = loaded.get(kind);
    if (cached?.trainedAt === row.trainedAt.valueOf()) {
      result[kind] = cached.classifier;
      continue;
    }
    const [stored] = await db
      .select({ model: classifierModels.model })
      .from(classifierModels)
      .where(eq(classifierModels.kind, kind));
    const classifier = loadTextClassifier(stored!.model as SerializedTextClassifier);
    loaded.set(kind, { trainedAt: row.trainedAt.valueOf(), classifier });
    result[kind] = classifier;
  }
  return result as Classifiers;
}
