'use client';

import { useEffect, useState } from 'react';
import { adminRequest } from './api';

type Glossary = { entries: number; text: string };

/** Chinese → English terms: how a Chinese question finds an English article without a model. */
export function GlossaryEditor() {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void adminRequest<Glossary>('/api/admin/glossary').then(
      (g) => setText(g.text),
      (e: Error) => setError(e.message),
    );
  }, []);

  async function save() {
    setError(null);
    setStatus(null);
    try {
      const saved = await adminRequest<Glossary>('/api/admin/glossary', 'PUT', { text });
      setText(saved.text);
      setStatus(`Saved ${saved.entries} terms.`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Bilingual glossary</h1>
      <p className="text-sm text-ink-500">
        When a Chinese question finds no Chinese article, Tandem searches again in English. With a
        language model configured the model translates; without one, these terms do. One{' '}
        <code>中文 = english</code> per line.
      </p>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {status && (
        <p role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-800">
          {status}
        </p>
      )}
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
