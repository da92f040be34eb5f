import type { Metadata } from 'next';
import Link from 'next/link';
import { adminForPage } from '@/app/page-guard';
import { listAudit } from '@/lib/privacy/audit';
import { getApp } from '@/lib/server/app';
import { describeAudit, subjectOf } from './describe';
import { loadSubjectNames } from './subject-names';

export const metadata: Metadata = { title: 'Audit log' };

const ACTORS: Record<string, string> = { staff: 'staff', api: 'API key', system: 'automatic' };

/** Who looked at or changed what: customer data, conversations, settings, exports, erasures. */
export default async function AuditPage() {
  if (!(await adminForPage('/admin/audit'))) return null;
  const { db } = (await getApp()).database;
  const entries = await listAudit(db, 300);
  const names = await loadSubjectNames(
    db,
    entries.flatMap((e) => {
      const subject = subjectOf(e);
      const conversationId = e.details.conversationId;
      return [
        ...(subject ? [subject] : []),
        ...(typeof conversationId === 'string'
          ? [{ kind: 'conversation' as const, id: conversationId }]
          : []),
      ];
    }),
  );
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <p className="text-sm text-ink-500">
        The latest 300 entries. Staff reads of conversations and customer pages, every change made
        in the console and admin, exports and erasures are recorded; message text never is.
      </p>
      {entries.length === 0 ? (
        <p className="rounded-lg border border-gray-200 bg-white p-4 text-sm text-ink-500">
          Nothing has been recorded yet.
        </p>
      ) : (
        <table className="w-full bg-white text-sm">
          <thead>
            <tr className="text-left text-ink-500">
              <th className="p-2">When</th>
              <th>What happened</th>
              <th className="sr-only">Recorded as</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const sentence = describeAudit(e, names);
              return (
                <tr key={e.id} className="border-t align-top" data-action={e.action}>
                  <td className="whitespace-nowrap p-2 text-ink-500">
                    <time dateTime={e.at.toISOString()}>
                      {e.at.toISOString().slice(0, 16).replace('T', ' ')} UTC
                    </time>
                  </td>
                  <td className="py-2 pr-2">
                    <span className="font-medium">{e.actorName ?? 'Someone'}</span> {sentence.verb}
                    {sentence.object && (
                      <>
                        {' '}
                        {sentence.object.href ? (
                          <Link href={sentence.object.href} className="text-brand-600 underline">
                            {sentence.object.text}
                          </Link>
                        ) : (
                          sentence.object.text
                        )}
                      </>
                    )}
                    {sentence.note && <span className="text-ink-500"> ({sentence.note})</span>}
                    {e.actorType !== 'staff' && (
                      <span className="ml-1 rounded bg-gray-100 px-1 text-xs text-ink-700">
                        {ACTORS[e.actorType] ?? e.actorType}
                      </span>
                    )}
                  </td>
                  <td className="py-2 pr-2 text-right">
                    <details className="text-xs text-ink-500">
                      <summary className="cursor-pointer">Details</summary>
                      <code className="block whitespace-pre-wrap break-all text-left font-mono">
                        {e.action}
                        {e.subjectId ? `\n${e.subjectType} ${e.subjectId}` : ''}
                      </code>
                    </details>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
