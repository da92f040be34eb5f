import { z } from 'zod';
import type { Database } from '@/db/client';
import {
  addClassifierExamples,
  type ClassifierKind,
  trainClassifier,
} from '@/lib/classify/classifier-store';
import { INTENTS } from '@/lib/classify/schema';
import type { LabelledText } from '@/lib/classify/text-classifier';
import { TandemError } from '@/lib/errors';
import {
  countExamplesByLabel,
  deleteCategory,
  insertCategory,
  listCategories,
  listClassifierModels,
  updateCategory,
} from './classifier-queries';

export const CLASSIFIER_KINDS = ['category', 'intent'] as const;
export const MAX_EXAMPLE_CHARS = 1000;
export const MAX_IMPORT_LINES = 5000;
/** The category messages fall back to when nothing else fits, so it cannot be removed. */
export const FALLBACK_CATEGORY = 'other';

/** The taxonomy, the intents, how many examples each label has, and each model's accuracy. */
export async function getClassifierOverview(db: Database) {
  const [taxonomy, counts, models] = await Promise.all([
    listCategories(db),
    countExamplesByLabel(db),
    listClassifierModels(db),
  ]);
  const examplesOf = (kind: ClassifierKind, label: string) =>
    counts.find((c) => c.kind === kind && c.label === label)?.examples ?? 0;
  return {
    categories: taxonomy.map((c) => ({ ...c, examples: examplesOf('category', c.slug) })),
    intents: INTENTS.map((label) => ({ label, examples: examplesOf('intent', label) })),
    models: models.map((m) => ({ ...m, trainedAt: m.trainedAt.toISOString() })),
  };
}

export async function createCategory(
  db: Database,
  input: { slug: string; name: string; description?: string | null },
) {
  const created = await insertCategory(db, { ...input, description: input.description ?? null });
  if (!created) {
    throw new TandemError('conflict:category', `A category with the slug "${input.slug}" exists.`);
  }
  return { slug: input.slug, name: input.name, description: input.description ?? null };
}

export async function renameCategory(
  db: Database,
  slug: string,
  input: { name?: string; description?: string | null },
) {
  if (!(await updateCategory(db, slug, input))) throw categoryNotFound(slug);
}

export async function removeCategory(db: Database, slug: string) {
  if (slug === FALLBACK_CATEGORY) {
    throw new TandemError(
      'conflict:category',
      `"${FALLBACK_CATEGORY}" is where messages go when no category fits; it cannot be removed.`,
    );
  }
  if (!(await deleteCategory(db, slug))) throw categoryNotFound(slug);
}

const categoryNotFound = (slug: string) =>
  new TandemError('not_found:category', `There is no category "${slug}".`);

/** The labels an example of this kind may carry: the taxonomy's slugs, or the fixed intents. */
async function allowedLabels(db: Database, kind: ClassifierKind): Promise<Set<string>> {
  if (kind === 'intent') return new Set(INTENTS);
  return new Set((await listCategories(db)).map((c) => c.slug));
}

function labelProblem(kind: ClassifierKind, label: string, allowed: Set<string>): string | null {
  if (allowed.has(label)) return null;
  const known = [...allowed].join(', ');
  return kind === 'category'
    ? `"${label}" is not a category; add it to the taxonomy first or use one of: ${known}`
    : `"${label}" is not an intent; use one of: ${known}`;
}

export async function addExample(db: Database, kind: ClassifierKind, example: LabelledText) {
  const problem = labelProblem(kind, example.label, await allowedLabels(db, kind));
  if (problem) throw new TandemError('bad_request:classifier_example', `${problem}.`);
  const added = await addClassifierExamples(db, kind, [example], 'admin');
  if (added === 0) {
    throw new TandemError(
      'conflict:classifier_example',
      'That example is already stored with this label.',
    );
  }
}

const importLine = z.object({
  text: z.string().trim().min(1).max(MAX_EXAMPLE_CHARS),
  label: z.string().trim().min(1),
});

/**
 * Reads JSON Lines of `{"text": …, "label": …}` (blank lines allowed). The first bad line stops
 * the import with its line number, so nothing is half-imported.
 */
export function parseExampleImport(
  source: string,
  kind: ClassifierKind,
  allowed: Set<string>,
): LabelledText[] {
  const examples: LabelledText[] = [];
  const lines = source.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (!raw.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch {
      throw importError(line, 'is not valid JSON');
    }
    const parsed = importLine.safeParse(row);
    if (!parsed.success) {
      throw importError(
        line,
        `must be an object {"text": "...", "label": "..."} with a text of 1 to ${MAX_EXAMPLE_CHARS} characters`,
      );
    }
    const problem = labelProblem(kind, parsed.data.label, allowed);
    if (problem) throw importError(line, problem);
    examples.push(parsed.data);
    if (examples.length > MAX_IMPORT_LINES) {
      throw importError(line, `goes past the limit of ${MAX_IMPORT_LINES} examples per import`);
    }
  }
  if (examples.length === 0) {
    throw new TandemError('bad_request:classifier_import', 'The file has no examples.');
  }
  return examples;
}

const importError = (line: number, problem: string) =>
  new TandemError('bad_request:classifier_import', `Line ${line} ${problem}.`, { line });

export async function importExamples(db: Database, kind: ClassifierKind, source: string) {
  const examples = parseExampleImport(source, kind, await allowedLabels(db, kind));
  const added = await addClassifierExamples(db, kind, examples, 'import');
  return { received: examples.length, added, duplicates: examples.length - added };
}

/** Retrains the given classifiers; each reports its accuracy on the held-out fifth of its examples. */
export async function retrainClassifiers(db: Database, kinds: readonly ClassifierKind[]) {
  const results = [];
  for (const kind of kinds) {
    try {
      results.push(await trainClassifier(db, kind));
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('No ')) {
        throw new TandemError('conflict:classifier', `There are no ${kind} examples to train on.`);
      }
      throw error;
    }
  }
  return results;
}
