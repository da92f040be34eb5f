'use client';

import type { FormEvent } from 'react';
import { adminRequest } from './api';
import { inputClass, useAdminResource } from './use-action';

type Canned = { id: string; shortcut: string; title: string; content: string };

export function CannedResponsesManager() {
  const { data, change, outcome } = useAdminResource<{ cannedResponses: Canned[] }>(
    '/api/admin/canned-responses',
  );
  const items = data?.cannedResponses ?? [];

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const created = await change(() =>
      adminRequest<Canned>(
        '/api/admin/canned-responses',
        'POST',
        Object.fromEntries(new FormData(form)),
      ),
    );
    if (created) form.reset();
  }

  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Canned responses</h1>
      <p className="text-sm text-ink-500">Agents type /shortcut in the reply box to insert one.</p>
      {outcome}
      <ul className="divide-y rounded-md border border-gray-200 bg-white">
        {items.map((c) => (
          <li key={c.id} className="flex items-start gap-3 p-3 text-sm">
            <span className="font-mono text-brand-600">/{c.shortcut}</span>
            <div className="flex-1">
              <p className="font-medium">{c.title}</p>
              <p className="text-ink-500">{c.content}</p>
            </div>
            <button
              type="button"
              onClick={() =>
                void change(() => adminRequest(`/api/admin/canned-responses/${c.id}`, 'DELETE'))
              }
              className="text-red-700 underline"
            >
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
            className={inputClass}
          />
          <input
            name="title"
            aria-label="Title"
            placeholder="Title"
            required
            className={inputClass}
          />
        </div>
        <textarea
          name="content"
          aria-label="Text"
          placeholder="Text"
          required
          rows={3}
          className={`${inputClass} w-full`}
        />
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white">
          Add
        </button>
      </form>
    </div>
  );
}
