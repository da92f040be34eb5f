import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

/** Any address the desk does not have, in the site's own look with the ways back. */
export default function NotFound() {
  return (
    <div className="flex min-h-dvh flex-col bg-gray-50">
      <main className="mx-auto flex w-full max-w-xl flex-1 flex-col justify-center px-6 py-16">
        <p className="text-sm font-medium text-brand-600">404</p>
        <h1 className="mt-1 text-3xl font-semibold text-ink-900">This page doesn’t exist</h1>
        <p className="mt-3 text-ink-700">
          The address may be mistyped, or the page has moved. These will get you back on track:
        </p>
        <ul className="mt-6 flex flex-wrap gap-3">
          <li>
            <Link
              href="/"
              className="inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
            >
              Home
            </Link>
          </li>
          <li>
            <Link
              href="/kb"
              className="inline-block rounded-md border border-gray-300 bg-white px-4 py-2 text-sm font-medium text-ink-900 hover:bg-gray-50"
            >
              Help center
            </Link>
          </li>
        </ul>
      </main>
    </div>
  );
}
