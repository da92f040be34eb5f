'use client';

import { useState } from 'react';

/** Runs a request and keeps the outcome to show: the server's error, or what was done. */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run<T>(action: () => Promise<T>, done: string | ((result: T) => string)) {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      const result = await action();
      setNotice(typeof done === 'string' ? done : done(result));
      return result;
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  const outcome = (
    <>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-800">
          {notice}
        </p>
      )}
    </>
  );
  return { run, busy, outcome };
}

export const inputClass = 'rounded-md border border-gray-300 px-2 py-1.5 text-sm';
export const buttonClass =
  'rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white disabled:cursor-not-allowed disabled:opacity-50';
export const secondaryButtonClass =
  'rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm disabled:opacity-50';
export const sectionClass = 'space-y-3 rounded-md border border-gray-200 bg-white p-4';
