'use client';

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { adminRequest } from './api';

type Canned = { id: string; shortcut: string; title: string; content: string };

const input = 'rounded-md border border-gray-300 px-2 py-1.5 text-sm';

export function CannedResponsesManager() {
  const [items, setItems] = useState<Canned[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems(
        (await adminRequest<{ cannedResponses: Canned[] }>('/api/admin/canned-responses'))
          .cannedResponses,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      await adminRequest(
        '/api/admin/canned-responses',
        'POST',
        Object.fromEntries(new FormData(form)),
      );
      form.reset();
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function remove(item: Canned) {
    setError(null);
    try {
      await adminRequest(`/api/admin/canned-responses/${item.id}`, 'DELETE');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Canned responses</h1>
      <p className="text-sm text-ink-500">Agents type /shortcut in the reply box to insert one.</p>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <ul className="divide-y rounded-md border border-gray-200 bg-white">
        {items.map((c) => (
          <li key={c.id} className="flex items-start gap-3 p-3 text-sm">
            <span className="font-mono text-brand-600">/{c.shortcut}</span>
            <div className="flex-1">
              <p className="font-medium">{c.title}</p>
              <p className="text-ink-500">{c.content}</p>
            </div>
            <button type="button" onClick={() => void remove(c)} className="text-red-700 underline">
              Delete<span className="sr-only"> /{c.shortcut}</span>
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={create}
        aria-label="New canned response"
        className="space-y-2 rounded-md border border-gray-200 bg-white p-4"
      >
        <h2 className="font-medium">New canned response</h2>
        <div className="flex flex-wrap gap-2">
          <input
            name="shortcut"
            aria-label="Shortcut"
            placeholder="shortcut"
            required
            className={input}
          />
          <input name="title" aria-label="Title" placeholder="Title" required className={input} />
        </div>
        <textarea
          name="content"
          aria-label="Text"
          placeholder="Text"
          required
          rows={3}
          className={`${input} w-full`}
        />
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white">
          Add
        </button>
      </form>
    </div>
  );
}
