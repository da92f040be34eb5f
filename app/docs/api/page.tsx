import type { Metadata } from 'next';
import { OPERATIONS } from '@/app/api/v1/_lib/openapi';

export const metadata: Metadata = { title: 'API reference' };

const METHOD_STYLE: Record<string, string> = {
  get: 'bg-blue-100 text-blue-800',
  post: 'bg-green-100 text-green-800',
  patch: 'bg-amber-100 text-amber-800',
  delete: 'bg-red-100 text-red-800',
};

/** A reference of the public API, from the same operations the OpenAPI document is built from. */
export default function ApiReferencePage() {
  return (
    <main className="mx-auto max-w-4xl space-y-6 p-6">
      <header>
        <h1 className="text-2xl font-semibold">Tandem API v1</h1>
        <p className="mt-1 text-sm text-ink-500">
          Send <code>Authorization: Bearer &lt;key&gt;</code> (keys from{' '}
          <code>/admin/api-keys</code>). Every response carries <code>X-RateLimit-*</code> headers;
          errors are <code>{'{ "error": { "code", "message", "details"? } }'}</code>.
          Machine-readable:{' '}
          <a href="/api/v1/openapi.json" className="text-brand-600 underline">
            /api/v1/openapi.json
          </a>{' '}
          (OpenAPI 3.1).
        </p>
      </header>
      {OPERATIONS.map((op) => (
        <section
          key={`${op.method} ${op.path}`}
          aria-label={`${op.method.toUpperCase()} ${op.path}`}
          className="rounded-lg border border-gray-200 p-4"
        >
          <h2 className="flex flex-wrap items-center gap-2 font-mono text-sm">
            <span
              className={`rounded px-1.5 py-0.5 text-xs font-semibold uppercase ${METHOD_STYLE[op.method]}`}
            >
              {op.method}
            </span>
            {op.path}
            <span className="ml-auto rounded bg-gray-100 px-1.5 py-0.5 font-sans text-xs text-ink-700">
              scope: {op.scope}
            </span>
          </h2>
          <p className="mt-1 text-sm">{op.summary}</p>
          <p className="mt-1 text-xs text-ink-500">
            {op.success.status}: {op.success.description}
          </p>
          {op.example.body !== undefined && (
            <pre className="mt-2 overflow-x-auto rounded bg-gray-50 p-2 text-xs">
              {JSON.stringify(op.example.body, null, 2)}
            </pre>
          )}
        </section>
      ))}
    </main>
  );
}
