'use client';

import { useCallback, useEffect, useState } from 'react';
import { adminRequest } from './api';

/**
 * Runs a request and keeps the outcome to show: the server's error, or what was done (nothing
 * when `done` is left out). Resolves to the request's result, or undefined when it failed.
 */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = useCallback(
    async <T,>(action: () => Promise<T>, done?: string | ((result: T) => string)) => {
      setError(null);
      setNotice(null);
      setBusy(true);
      try {
        const result = await action();
        if (done !== undefined) setNotice(typeof done === 'string' ? done : done(result));
        return result;
      } catch (e) {
        setError((e as Error).message);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [],
  );

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
  return { run, busy, error, outcome };
}

/**
 * An admin API resource, loaded on mount and loaded again after every change made through
 * `change`, so the page always shows what the server holds; errors of both show in `outcome`.
 * `run` is for requests that change nothing listed (no reload).
 */
export function useAdminResource<T>(url: string) {
  const { run, outcome } = useAction();
  const [data, setData] = useState<T | null>(null);
  const reload = useCallback(async () => setData(await adminRequest<T>(url)), [url]);

  useEffect(() => {
    void run(reload);
  }, [run, reload]);

  const change = useCallback(
    <R,>(request: () => Promise<R>, done?: string | ((result: R) => string)) =>
      run(async () => {
        const result = await request();
        await reload();
        return result;
      }, done),
    [run, reload],
  );

  return { data, change, run, outcome };
}

export const inputClass = 'rounded-md border border-gray-300 px-2 py-1.5 text-sm';
export const buttonClass =
  'rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white disabled:cursor-not-allowed disabled:opacity-50';
export const secondaryButtonClass =
  'rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm disabled:opacity-50';
export const sectionClass = 'space-y-3 rounded-md border border-gray-200 bg-white p-4';
