import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { categories, classifierExamples, classifierModels } from '@/db/schema';
import type { ClassifierKind } from '@/lib/classify/classifier-store';

export async function listCategories(db: Database) {
  return db
    .select({ slug: categories.slug, name: categories.name, description: categories.description })
    .from(categories)
    .orderBy(asc(categories.slug));
}

/** Inserts a category; false when the slug is taken. */
export async function insertCategory(
  db: Database,
  input: { slug: string; name: string; description: string | null },
): Promise<boolean> {
  const inserted = await db
    .insert(categories)
    .values(input)
    .onConflictDoNothing()
    .returning({ slug: categories.slug });
  return inserted.length > 0;
}

export async function updateCategory(
  db: Database,
  slug: string,
  input: { name?: string; description?: string | null },
): Promise<boolean> {
  const updated = await db
    .update(categories)
    .set(input)
    .where(eq(categories.slug, slug))
    .returning({ slug: categories.slug });
  return updated.length > 0;
}

/** Removes a category and the examples labelled with it. */
export async function deleteCategory(db: Database, slug: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx
      .delete(classifierExamples)
      .where(and(eq(classifierExamples.kind, 'category'), eq(classifierExamples.label, slug)));
    const deleted = await tx
      .delete(categories)
      .where(eq(categories.slug, slug))
      .returning({ slug: categories.slug });
    return deleted.length > 0;
  });
}

export async function countExamplesByLabel(db: Database) {
  return db
    .select({ kind: classifierExamples.kind, label: classifierExamples.label, examples: count() })
    .from(classifierExamples)
    .groupBy(classifierExamples.kind, classifierExamples.label);
}

/** Each stored model, with how many examples were added after it was trained. */
export async function listClassifierModels(db: Database) {
  return db
    .select({
      kind: classifierModels.kind,
      exampleCount: classifierModels.exampleCount,
      accuracy: classifierModels.accuracy,
      trainedAt: classifierModels.trainedAt,
      untrainedExamples: sql<number>`(
        select count(*)::int from ${classifierExamples}
        where ${classifierExamples.kind} = ${classifierModels.kind}
          and ${classifierExamples.createdAt} > ${classifierModels.trainedAt}
      )`,
    })
    .from(classifierModels)
    .orderBy(asc(classifierModels.kind));
}

export async function listExamples(
  db: Database,
  filter: { kind: ClassifierKind; label: string; limit: number },
) {
  return db
    .select({
      id: classifierExamples.id,
      text: classifierExamples.text,
      source: classifierExamples.source,
      createdAt: classifierExamples.createdAt,
    })
    .from(classifierExamples)
    .where(
      and(eq(classifierExamples.kind, filter.kind), eq(classifierExamples.label, filter.label)),
    )
    .orderBy(desc(classifierExamples.createdAt), asc(classifierExamples.id))
    .limit(filter.limit);
}
