'use client';

import { useCallback, useEffect, useState } from 'react';
import { deskTestsRequest, RequestError } from './request';
import { API, type RunRow } from './types';

/** How often a running run's progress is read. */
export const POLL_MS = 1000;

export type RunTracker = ReturnType<typeof useRunTracker>;

/**
 * Starts runs and follows one while it runs, reading its progress every second; `onFinished`
 * is called once it has stopped (to show the cases' new results). Starting while another run is
 * going follows that one instead, and says so.
 */
export function useRunTracker(onFinished: () => Promise<void>) {
  const [run, setRun] = useState<RunRow | null>(null);
  const [error, setError] = useState<string | null>(null);

  const follow = useCallback((next: RunRow) => {
    // A listing read earlier must not move the bar backwards.
    setRun((current) => (current?.id === next.id ? current : next));
  }, []);

  useEffect(() => {
    if (run?.status !== 'running') return;
    const timer = setTimeout(async () => {
      try {
        const next = await deskTestsRequest<RunRow>(`${API}/runs/${run.id}?view=progress`);
        setRun(next);
        if (next.status !== 'running') await onFinished();
      } catch (e) {
        setError((e as Error).message);
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [run, onFinished]);

  const start = useCallback(async (caseIds?: string[], procedures?: 'published' | 'drafts') => {
    setError(null);
    try {
      const started = await deskTestsRequest<{ run: RunRow }>(`${API}/runs`, 'POST', {
        ...(caseIds ? { caseIds } : {}),
        ...(procedures ? { procedures } : {}),
      });
      setRun(started.run);
    } catch (e) {
      setError((e as Error).message);
      const going = e instanceof RequestError ? e.details.runId : undefined;
      if (typeof going === 'string') {
        setRun(await deskTestsRequest<RunRow>(`${API}/runs/${going}?view=progress`));
      }
    }
  }, []);

  return { run, running: run?.status === 'running', error, start, follow };
}
