import type { Metadata } from 'next';
import { adminForPage } from '@/app/page-guard';
import { listAudit } from '@/lib/privacy/audit';
import { getApp } from '@/lib/server/app';

export const metadata: Metadata = { title: 'Audit log' };

/** Who looked at or changed what: customer data, conversations, settings, exports, erasures. */
export default async function AuditPage() {
  if (!(await adminForPage('/admin/audit'))) return null;
  const entries = await listAudit((await getApp()).database.db, 300);
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <p className="text-sm text-ink-500">
        The latest 300 entries. Staff reads of conversations and customer pages, every change made
        in the console and admin, exports and erasures are recorded; message text never is.
      </p>
      <table className="w-full bg-white text-sm">
        <thead>
          <tr className="text-left text-ink-500">
            <th className="p-2">When</th>
            <th>Who</th>
            <th>What</th>
            <th>Subject</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-t align-top">
              <td className="whitespace-nowrap p-2">{e.at.toLocaleString()}</td>
              <td>
                {e.actorName ?? '—'} <span className="text-ink-500">({e.actorType})</span>
              </td>
              <td className="font-mono text-xs">{e.action}</td>
              <td className="font-mono text-xs">
                {e.subjectType ? `${e.subjectType} ${e.subjectId}` : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
