'use client';

import { type FormEvent, useCallback, useState } from 'react';
import { adminRequest } from '../api';
import {
  buttonClass,
  inputClass,
  secondaryButtonClass,
  sectionClass,
  useAction,
} from '../use-action';

type Kind = 'category' | 'intent';

export interface ClassifierOverview {
  categories: { slug: string; name: string; description: string | null; examples: number }[];
  intents: { label: string; examples: number }[];
  models: {
    kind: Kind;
    exampleCount: number;
    accuracy: number | null;
    trainedAt: string;
    untrainedExamples: number;
  }[];
}

type RetrainResult = { kind: Kind; examples: number; accuracy: number | null };

const KIND_LABELS: Record<Kind, string> = { category: 'Category', intent: 'Intent' };
const percent = (value: number | null) =>
  value === null ? 'not enough examples to measure' : `${(value * 100).toFixed(1)} %`;

export function ClassifierManager({ initial }: { initial: ClassifierOverview }) {
  const [overview, setOverview] = useState(initial);
  const [exampleKind, setExampleKind] = useState<Kind>('category');
  const { run, busy, outcome } = useAction();

  const reload = useCallback(async () => {
    setOverview(await adminRequest<ClassifierOverview>('/api/admin/classifier'));
  }, []);

  async function submitForm<T>(
    event: FormEvent<HTMLFormElement>,
    action: (data: Record<string, string>, form: HTMLFormElement) => Promise<T>,
    done: string | ((result: T) => string),
  ) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const result = await run(async () => {
      const r = await action(data, form);
      await reload();
      return r;
    }, done);
    if (result !== undefined) form.reset();
  }

  const retrain = (kind?: Kind) =>
    run(
      async () => {
        const r = await adminRequest<{ results: RetrainResult[] }>(
          '/api/admin/classifier/retrain',
          'POST',
          kind ? { kind } : {},
        );
        await reload();
        return r;
      },
      (r) =>
        `Retrained. ${r.results
          .map(
            (x) =>
              `${KIND_LABELS[x.kind]}: ${x.examples} examples, ${percent(x.accuracy)} on held-out examples`,
          )
          .join('; ')}.`,
    );

  const labels =
    exampleKind === 'category'
      ? overview.categories.map((c) => ({ value: c.slug, text: c.name }))
      : overview.intents.map((i) => ({ value: i.label, text: i.label }));

  return (
    <section aria-labelledby="classifier-heading" className={sectionClass}>
      <h2 id="classifier-heading" className="font-medium">
        Taxonomy and classifier
      </h2>
      <p className="text-sm text-ink-500">
        The offline classifier learns each message's category and intent from labelled examples.
        Accuracy is measured on a held-out fifth of the examples the model did not learn from.
      </p>
      {outcome}
      <table aria-label="Classifiers" className="w-full border-collapse text-sm">
        <thead>
          <tr className="border-b text-left text-ink-500">
            <th className="p-2">Classifier</th>
            <th className="p-2">Examples</th>
            <th className="p-2">Held-out accuracy</th>
            <th className="p-2">Trained</th>
            <th className="p-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {overview.models.map((m) => (
            <tr key={m.kind} className="border-b">
              <td className="p-2">{KIND_LABELS[m.kind]}</td>
              <td className="p-2">
                {m.exampleCount}
                {m.untrainedExamples > 0 && (
                  <span className="ml-1 text-amber-700">
                    (+{m.untrainedExamples} not yet trained)
                  </span>
                )}
              </td>
              <td className="p-2" data-testid={`accuracy-${m.kind}`}>
                {percent(m.accuracy)}
              </td>
              <td className="p-2">{new Date(m.trainedAt).toLocaleString()}</td>
              <td className="p-2 text-right">
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void retrain(m.kind)}
                  className={secondaryButtonClass}
                >
                  Retrain {m.kind}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" disabled={busy} onClick={() => void retrain()} className={buttonClass}>
        Retrain both
      </button>

      <h3 className="pt-2 font-medium">Categories</h3>
      <table aria-label="Categories" className="w-full border-collapse text-sm">
        <thead>
          <tr className="border-b text-left text-ink-500">
            <th className="p-2">Name</th>
            <th className="p-2">Slug</th>
            <th className="p-2">Examples</th>
            <th className="p-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {overview.categories.map((c) => (
            <tr key={c.slug} className="border-b">
              <td className="p-2">
                {c.name}
                {c.description && <p className="text-xs text-ink-500">{c.description}</p>}
              </td>
              <td className="p-2 font-mono text-xs">{c.slug}</td>
              <td className="p-2">{c.examples}</td>
              <td className="p-2 text-right">
                {c.slug !== 'other' && (
                  <button
                    type="button"
                    disabled={busy}
                    className="text-red-700 underline"
                    onClick={() => {
                      if (
                        window.confirm(
                          `Remove “${c.name}” and its ${c.examples} examples? Retrain afterwards.`,
                        )
                      )
                        void run(async () => {
                          await adminRequest(
                            `/api/admin/classifier/categories/${c.slug}`,
                            'DELETE',
                          );
                          await reload();
                        }, `Removed ${c.name}. Retrain the category classifier to apply it.`);
                    }}
                  >
                    Remove<span className="sr-only"> {c.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        aria-label="New category"
        className="flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) =>
          submitForm(
            e,
            (data) => adminRequest('/api/admin/classifier/categories', 'POST', data),
            (r) =>
              `Added the category ${(r as { name: string }).name}. Give it examples, then retrain.`,
          )
        }
      >
        <input
          name="name"
          aria-label="Category name"
          placeholder="Name"
          required
          className={inputClass}
        />
        <input
          name="slug"
          aria-label="Category slug"
          placeholder="slug_like_this"
          required
          pattern="[a-z][a-z0-9_]{0,39}"
          title="Lowercase letters, digits and underscores"
          className={`${inputClass} font-mono`}
        />
        <button type="submit" disabled={busy} className={secondaryButtonClass}>
          Add category
        </button>
      </form>

      <h3 className="pt-2 font-medium">Add an example</h3>
      <form
        aria-label="New example"
        className="flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) =>
          submitForm(
            e,
            (data) => adminRequest('/api/admin/classifier/examples', 'POST', data),
            'Added the example. Retrain to use it.',
          )
        }
      >
        <select
          name="kind"
          aria-label="Example kind"
          value={exampleKind}
          onChange={(e) => setExampleKind(e.target.value as Kind)}
          className={inputClass}
        >
          <option value="category">Category</option>
          <option value="intent">Intent</option>
        </select>
        <select name="label" aria-label="Label" required className={inputClass}>
          {labels.map((l) => (
            <option key={l.value} value={l.value}>
              {l.text}
            </option>
          ))}
        </select>
        <input
          name="text"
          aria-label="Example message"
          placeholder="A customer message"
          required
          maxLength={1000}
          className={`${inputClass} min-w-64 flex-1`}
        />
        <button type="submit" disabled={busy} className={secondaryButtonClass}>
          Add example
        </button>
      </form>

      <h3 className="pt-2 font-medium">Import examples</h3>
      <form
        aria-label="Import examples"
        className="flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) =>
          submitForm(
            e,
            async (data, form) => {
              const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
              if (!file) throw new Error('Choose a .jsonl file to import.');
              return adminRequest<{ received: number; added: number; duplicates: number }>(
                '/api/admin/classifier/import',
                'POST',
                { kind: data.kind, jsonl: await file.text() },
              );
            },
            (r) =>
              `Imported ${r.added} of ${r.received} examples${r.duplicates ? ` (${r.duplicates} were already stored)` : ''}. Retrain to use them.`,
          )
        }
      >
        <select name="kind" aria-label="Import kind" className={inputClass}>
          <option value="category">Category</option>
          <option value="intent">Intent</option>
        </select>
        <input
          name="file"
          type="file"
          accept=".jsonl,.ndjson,application/x-ndjson,text/plain"
          aria-label="JSON Lines file"
          required
          className="text-sm"
        />
        <button type="submit" disabled={busy} className={secondaryButtonClass}>
          Import
        </button>
        <p className="w-full text-xs text-ink-500">
          One example per line: {'{"text": "Where is my parcel?", "label": "orders_shipping"}'}. A
          bad line stops the import and names the line.
        </p>
      </form>
    </section>
  );
}
