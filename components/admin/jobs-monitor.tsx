'use client';

import { useCallback, useEffect, useState } from 'react';
import { adminRequest } from './api';

type Status = 'queued' | 'running' | 'completed' | 'failed' | 'retried';
type Job = {
  id: string;
  type: string;
  status: Exclude<Status, 'retried'>;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
};
type Counts = Record<Status, number>;

const FILTERS: { status: Status; label: string }[] = [
  { status: 'queued', label: 'Queued' },
  { status: 'running', label: 'Running' },
  { status: 'failed', label: 'Failed' },
  { status: 'retried', label: 'Retried' },
  { status: 'completed', label: 'Completed' },
];

/** The background-job queue: counts by status and the newest jobs of the chosen one. */
export function JobsMonitor() {
  const [status, setStatus] = useState<Status>('failed');
  const [data, setData] = useState<{ counts: Counts; jobs: Job[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await adminRequest(`/api/admin/jobs?status=${status}`));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [status]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Jobs</h1>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="flex flex-wrap gap-2" role="tablist" aria-label="Job status">
        {FILTERS.map((f) => (
          <button
            key={f.status}
            type="button"
            role="tab"
            aria-selected={status === f.status}
            onClick={() => setStatus(f.status)}
            className={`rounded-md border px-3 py-1.5 text-sm ${status === f.status ? 'border-brand-600 bg-brand-600 text-white' : 'border-gray-300 bg-white'}`}
          >
            {f.label} <span className="font-semibold">{data?.counts[f.status] ?? '–'}</span>
          </button>
        ))}
      </div>
      <table className="w-full bg-white text-sm">
        <thead>
          <tr className="text-left text-ink-500">
            <th className="p-2">Type</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Next run / finished</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {data?.jobs.length === 0 && (
            <tr>
              <td colSpan={5} className="p-2 text-ink-500">
                No {status} jobs.
              </td>
            </tr>
          )}
          {data?.jobs.map((job) => (
            <tr key={job.id} className="border-t align-top">
              <td className="p-2 font-mono text-xs" title={job.id}>
                {job.type}
              </td>
              <td>{job.status}</td>
              <td>
                {job.attempts}/{job.maxAttempts}
              </td>
              <td>
                {new Date(
                  job.finishedAt ?? (job.status === 'queued' ? job.runAt : job.updatedAt),
                ).toLocaleString()}
              </td>
              <td className="max-w-md break-words text-red-700">{job.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
