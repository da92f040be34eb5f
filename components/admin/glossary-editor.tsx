'use client';

import { useEffect, useState } from 'react';
import { adminRequest } from './api';
import { useAction } from './use-action';

type Glossary = { entries: number; text: string };

/** Chinese → English terms: how a Chinese question finds an English article without a model. */
export function GlossaryEditor() {
  const [text, setText] = useState('');
  const { run, outcome } = useAction();

  useEffect(() => {
    void run(async () => setText((await adminRequest<Glossary>('/api/admin/glossary')).text));
  }, [run]);

  function save() {
    return run(
      async () => {
        const saved = await adminRequest<Glossary>('/api/admin/glossary', 'PUT', { text });
        setText(saved.text);
        return saved;
      },
      (saved) => `Saved ${saved.entries} terms.`,
    );
  }

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Bilingual glossary</h1>
      <p className="text-sm text-ink-500">
        When a Chinese question finds no Chinese article, Tandem searches again in English. With a
        language model configured the model translates; without one, these terms do. One{' '}
        <code>中文 = english</code> per line.
      </p>
      {outcome}
      <textarea
        aria-label="Glossary terms"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={24}
        className="w-full rounded-md border border-gray-300 p-2 font-mono text-sm"
      />
      <button
        type="button"
        onClick={() => void save()}
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white"
      >
        Save glossary
      </button>
    </div>
  );
}
