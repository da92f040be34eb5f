import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories, classifierExamples, classifierModels } from '@/db/schema';
import {
  addClassifierExamples,
  loadClassifiers,
  loadTaxonomyAndClassifiers,
  parseExamplesJsonl,
  trainClassifier,
} from '@/lib/classify/classifier-store';
import type { AppContext } from '@/lib/context';
import { startTestApp } from '../harness/app';

let app: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startTestApp());
});
afterAll(() => stop());

const warrantyExamples = [
  'Is my kettle still under warranty?',
  'How long is the warranty on the blender?',
  'Does the two-year warranty cover the motor?',
  'My toaster broke after 8 months, is that covered by warranty?',
  'Can I claim warranty without the receipt?',
  'What does the manufacturer warranty include?',
  'warranty claim for a cracked pan handle',
  'Is accidental damage covered by the warranty?',
  'I want to make a warranty claim for my stand mixer',
  'How do I register my product for warranty?',
  '保修期是多久？',
  'Does the warranty transfer if I give the kettle as a gift?',
];

describe('training the classifier from examples, as an admin does', () => {
  it('seeds the default taxonomy and trains both classifiers at start, with held-out accuracy', async () => {
    expect((await app.database.db.select().from(categories)).map((c) => c.slug).sort()).toEqual([
      'account',
      'billing',
      'complaint',
      'feature_request',
      'orders_shipping',
      'other',
      'product_question',
      'technical',
    ]);
    const models = await app.database.db.select().from(classifierModels);
    expect(models.map((m) => m.kind).sort()).toEqual(['category', 'intent']);
    for (const model of models) {
      expect(model.accuracy).toBeGreaterThan(0.5);
      expect(model.exampleCount).toBeGreaterThan(300);
    }
  });

  it('learns a new label from imported JSONL once retrained, and every instance reloads it', async () => {
    const jsonl = warrantyExamples
      .map((text) => JSON.stringify({ text, label: 'warranty' }))
      .join('\n');
    const examples = parseExamplesJsonl(jsonl, 'warranty.jsonl');
    expect(await addClassifierExamples(app.database.db, 'category', examples, 'import')).toBe(12);
    expect(await addClassifierExamples(app.database.db, 'category', examples, 'import')).toBe(0);

    const before = await loadClassifiers(app.database.db);
    expect(before.category.labels).not.toContain('warranty');
    const result = await trainClassifier(app.database.db, 'category');
    expect(result.examples).toBe(
      (
        await app.database.db
          .select()
          .from(classifierExamples)
          .where(eq(classifierExamples.kind, 'category'))
      ).length,
    );
    const after = await loadClassifiers(app.database.db);
    expect(after.category.labels).toContain('warranty');
    expect(after.category.predict('Is the warranty still valid on my blender?').label).toBe(
      'warranty',
    );
  });

  it('reads the taxonomy with the classifiers, and sees a new category on the next read', async () => {
    const db = app.database.db;
    const first = await loadTaxonomyAndClassifiers(db);
    expect(first.taxonomy).toEqual((await db.select().from(categories)).map((c) => c.slug).sort());
    // Unchanged classifiers are the ones already loaded, not loaded again.
    expect(first.classifiers).toEqual(await loadClassifiers(db));
    expect(first.classifiers.category).toBe((await loadClassifiers(db)).category);

    await db.insert(categories).values({ slug: 'aardvarks', name: 'Aardvarks' });
    const next = await loadTaxonomyAndClassifiers(db);
    expect(next.taxonomy[0]).toBe('aardvarks');
    expect(next.taxonomy).toHaveLength(first.taxonomy.length + 1);
    await db.delete(categories).where(eq(categories.slug, 'aardvarks'));
  });

  it('refuses a malformed import line with its number', () => {
    expect(() =>
      parseExamplesJsonl('{"text":"ok","label":"billing"}\n{"text":""}', 'bad.jsonl'),
    ).toThrow('bad.jsonl line 2: expected {"text": "...", "label": "..."}');
  });
});
