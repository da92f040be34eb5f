'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { categoryLabel } from '@/lib/text/labels';
import { adminRequest } from '../api';
import { DraftTests } from './draft-tests';
import type { KbDraft } from './preview-tests';
import { type DocumentDetail, SOURCE_LABELS } from './types';

const input = 'w-full rounded-md border border-gray-300 px-2 py-1.5 text-sm';

/** One document: its Markdown, edited in place, re-indexed or deleted. */
export function DocumentEditor({ id }: { id: string }) {
  const router = useRouter();
  const [document, setDocument] = useState<DocumentDetail | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editForm = useRef<HTMLFormElement>(null);
  const [revision, setRevision] = useState(0);

  /** The edit as it stands in the form, unsaved, for the tests to run on. */
  const editDraft = (): KbDraft => {
    const fields = new FormData(editForm.current ?? undefined);
    const text = (name: string) => String(fields.get(name) ?? '');
    return {
      action: 'edit',
      id,
      title: text('title'),
      body: text('body'),
      category: text('category'),
      summary: text('summary'),
    };
  };

  const load = useCallback(async () => {
    try {
      setDocument(
        (await adminRequest<{ document: DocumentDetail }>(`/api/admin/kb/documents/${id}`))
          .document,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  async function run(action: string, work: () => Promise<void>) {
    setBusy(action);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  }

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(event.currentTarget));
    void run('save', async () => {
      const saved = await adminRequest<{ document: DocumentDetail }>(
        `/api/admin/kb/documents/${id}`,
        'PATCH',
        fields,
      );
      setDocument(saved.document);
      setEditing(false);
      setNotice('Saved and re-indexed.');
    });
  }

  const reindex = () =>
    run('reindex', async () => {
      await adminRequest(`/api/admin/kb/documents/${id}/reindex`, 'POST');
      await load();
      setNotice('Re-indexed: passages and vectors were rebuilt.');
    });

  const remove = () =>
    run('delete', async () => {
      await adminRequest(`/api/admin/kb/documents/${id}`, 'DELETE');
      router.push('/admin/knowledge');
      router.refresh();
    });

  if (!document) {
    return error ? (
      <div className="space-y-2">
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
        <Link href="/admin/knowledge" className="text-sm text-brand-600 underline">
          Back to the knowledge base
        </Link>
      </div>
    ) : (
      <p className="text-sm text-ink-500">Loading…</p>
    );
  }

  return (
    <div className="space-y-4">
      <Link href="/admin/knowledge" className="text-sm text-brand-600 underline">
        ← Knowledge base
      </Link>
      <h1 className="text-xl font-semibold">{document.title}</h1>
      <p className="text-sm text-ink-500">
        {[
          SOURCE_LABELS[document.sourceType] ?? document.sourceType,
          document.category && categoryLabel(document.category),
          `${document.chunks} passage${document.chunks === 1 ? '' : 's'}`,
          `${document.characters.toLocaleString()} characters`,
          `updated ${new Date(document.updatedAt).toLocaleString()}`,
        ]
          .filter(Boolean)
          .join(' · ')}
        {document.origin && <> · from {document.origin}</>}
      </p>
      {notice && (
        <p role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-800">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="flex flex-wrap gap-2 text-sm">
        {!editing && (
          <button
            type="button"
            onClick={() => setEditing(true)}
            className="rounded-md bg-brand-600 px-3 py-1.5 text-white"
          >
            Edit
          </button>
        )}
        <button
          type="button"
          onClick={() => void reindex()}
          disabled={busy !== null}
          className="rounded-md border border-gray-300 px-3 py-1.5 disabled:opacity-60"
        >
          {busy === 'reindex' ? 'Re-indexing…' : 'Re-index'}
        </button>
        <a href={`/kb/${document.slug}`} className="rounded-md border border-gray-300 px-3 py-1.5">
          View in help center
        </a>
        <button
          type="button"
          onClick={() => setConfirmingDelete(true)}
          disabled={busy !== null}
          className="ml-auto rounded-md border border-red-300 px-3 py-1.5 text-red-700"
        >
          Delete
        </button>
      </div>
      {confirmingDelete && (
        <div
          role="alertdialog"
          aria-labelledby="delete-question"
          className="space-y-2 rounded-md bg-red-50 p-3 text-sm"
        >
          <p id="delete-question">
            Delete “{document.title}”? The bot stops using it at once and it leaves the help center.
            This cannot be undone.
          </p>
          <DraftTests draft={() => ({ action: 'delete', id })} label="Run the tests without it" />
          <div className="flex gap-2">
            <button
              type="button"
              onClick={() => void remove()}
              disabled={busy !== null}
              className="rounded-md bg-red-700 px-3 py-1.5 text-white"
            >
              {busy === 'delete' ? 'Deleting…' : 'Delete permanently'}
            </button>
            <button
              type="button"
              onClick={() => setConfirmingDelete(false)}
              className="rounded-md border px-3 py-1.5"
            >
              Keep it
            </button>
          </div>
        </div>
      )}
      {editing ? (
        <form
          ref={editForm}
          onSubmit={save}
          onInput={() => setRevision((r) => r + 1)}
          aria-label="Edit document"
          className="space-y-3 rounded-md border border-gray-200 bg-white p-4"
        >
          <label className="block space-y-1 text-sm">
            <span>Title</span>
            <input
              name="title"
              defaultValue={document.title}
              required
              maxLength={200}
              className={input}
            />
          </label>
          <div className="grid gap-3 sm:grid-cols-2">
            <label className="block space-y-1 text-sm">
              <span>Category</span>
              <input
                name="category"
                defaultValue={document.category ?? ''}
                maxLength={80}
                className={input}
              />
            </label>
            <label className="block space-y-1 text-sm">
              <span>Summary</span>
              <input
                name="summary"
                defaultValue={document.summary ?? ''}
                maxLength={500}
                className={input}
              />
            </label>
          </div>
          <label className="block space-y-1 text-sm">
            <span>Markdown</span>
            <textarea
              name="body"
              defaultValue={document.content}
              required
              rows={20}
              className={`${input} font-mono`}
            />
          </label>
          <p className="text-xs text-ink-500">
            Sections start with ## headings; the bot quotes passages by section. The address /kb/
            {document.slug} stays the same.
          </p>
          <DraftTests draft={editDraft} revision={revision} />
          <div className="flex gap-2 text-sm">
            <button
              type="submit"
              disabled={busy !== null}
              className="rounded-md bg-brand-600 px-3 py-1.5 text-white disabled:opacity-60"
            >
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              onClick={() => setEditing(false)}
              className="rounded-md border px-3 py-1.5"
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap rounded-md border border-gray-200 bg-white p-4 font-mono text-sm">
          {document.content}
        </pre>
      )}
    </div>
  );
}
