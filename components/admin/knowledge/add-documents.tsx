'use client';

import { type DragEvent, type FormEvent, useRef, useState } from 'react';
import { addDocument } from './add-document';
import type { AddResult } from './types';

interface Job {
  key: string;
  name: string;
  percent: number;
  label: string;
  state: 'working' | 'done' | 'failed';
  message?: string;
  documentId?: string;
}

const ACCEPT = '.pdf,.docx,.md,.markdown,.txt,.html,.htm';
/** Files indexed side by side; the rest wait their turn, so a big drop does not swamp the server. */
const PARALLEL_UPLOADS = 2;

const input = 'rounded-md border border-gray-300 px-2 py-1.5 text-sm';

function outcome(result: AddResult): string {
  if (!result.changed) return 'Already in the knowledge base, unchanged';
  return result.replaced ? 'Updated the existing document' : 'Added';
}

/** Upload files (picked or dropped, several at once) or add a web page, each with its own progress. */
export function AddDocuments({ onAdded }: { onAdded: () => void }) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [dragging, setDragging] = useState(false);
  const [category, setCategory] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const queue = useRef<(() => Promise<void>)[]>([]);
  const running = useRef(0);

  const update = (key: string, change: Partial<Job>) =>
    setJobs((all) => all.map((job) => (job.key === key ? { ...job, ...change } : job)));

  const pump = () => {
    while (running.current < PARALLEL_UPLOADS && queue.current.length > 0) {
      const next = queue.current.shift()!;
      running.current++;
      void next().finally(() => {
        running.current--;
        pump();
      });
    }
  };

  const start = (name: string, body: Parameters<typeof addDocument>[0]) => {
    const key = `${Date.now()}-${Math.random()}`;
    setJobs((all) => [{ key, name, percent: 0, label: 'Waiting', state: 'working' }, ...all]);
    queue.current.push(async () => {
      try {
        const result = await addDocument(body, ({ percent, label }) =>
          update(key, { percent, label }),
        );
        update(key, {
          state: 'done',
          percent: 100,
          label: outcome(result),
          documentId: result.document.id,
        });
        onAdded();
      } catch (error) {
        update(key, { state: 'failed', label: 'Failed', message: (error as Error).message });
      }
    });
    pump();
  };

  const addFiles = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      start(file.name, { file, category: category.trim() || undefined });
    }
  };

  function drop(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    addFiles(event.dataTransfer.files);
  }

  function addUrl(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const url = String(new FormData(form).get('url') ?? '').trim();
    if (!url) return;
    start(url, { url, category: category.trim() || undefined });
    form.reset();
  }

  return (
    <section
      aria-labelledby="add-heading"
      className="space-y-3 rounded-md border border-gray-200 bg-white p-4"
    >
      <h2 id="add-heading" className="font-medium">
        Add documents
      </h2>
      <section
        aria-label="Drop files here"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        className={`flex flex-col items-center gap-2 rounded-md border-2 border-dashed p-6 text-center text-sm ${
          dragging ? 'border-brand-600 bg-brand-50' : 'border-gray-300'
        }`}
      >
        <p>Drop PDF, Word (.docx), HTML, Markdown or text files here, or</p>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept={ACCEPT}
          aria-label="Upload files"
          className="sr-only"
          onChange={(event) => {
            addFiles(event.currentTarget.files);
            event.currentTarget.value = '';
          }}
        />
        <button
          type="button"
          onClick={() => fileInput.current?.click()}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-white"
        >
          Choose files
        </button>
      </section>
      <form onSubmit={addUrl} aria-label="Add a web page" className="flex flex-wrap gap-2">
        <input
          name="url"
          type="url"
          required
          aria-label="Web address"
          placeholder="https://help.example.com/article"
          className={`${input} min-w-64 flex-1`}
        />
        <button type="submit" className="rounded-md border border-gray-300 px-3 py-1.5 text-sm">
          Add page
        </button>
      </form>
      <label className="flex items-center gap-2 text-sm">
        Category for new documents (optional)
        <input
          value={category}
          onChange={(event) => setCategory(event.target.value)}
          maxLength={80}
          placeholder="e.g. Shipping"
          className={input}
        />
      </label>
      {jobs.length > 0 && (
        <ul aria-label="Uploads" aria-live="polite" className="divide-y divide-gray-200 text-sm">
          {jobs.map((job) => (
            <li key={job.key} data-state={job.state} className="space-y-1 py-2">
              <div className="flex items-center gap-2">
                <span className="flex-1 truncate font-medium">{job.name}</span>
                <span
                  className={job.state === 'failed' ? 'text-red-700' : 'text-ink-500'}
                  data-testid="upload-status"
                >
                  {job.label}
                  {job.state === 'working' && job.percent > 0 ? ` · ${job.percent}%` : ''}
                </span>
                {job.documentId && (
                  <a
                    href={`/admin/knowledge/${job.documentId}`}
                    className="text-brand-600 underline"
                  >
                    Open<span className="sr-only"> {job.name}</span>
                  </a>
                )}
              </div>
              <progress
                value={job.state === 'failed' ? 0 : job.percent}
                max={100}
                aria-label={`${job.name} progress`}
                className="h-2 w-full"
              />
              {job.message && <p className="text-red-700">{job.message}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
