import Link from 'next/link';
import { SearchForm } from './search-form';

/** An article address that leads nowhere: search instead, or go back to the index. */
export default function ArticleNotFound() {
  return (
    <main>
      <p className="text-sm font-medium text-brand-600">404</p>
      <h1 className="mt-1 text-3xl font-semibold text-ink-900">We couldn’t find that article</h1>
      <p className="mt-3 text-ink-700">
        It may have moved or been removed. Search the help center, or ask us in the chat.
      </p>
      <div className="mt-6">
        <SearchForm />
      </div>
      <p className="mt-6 text-sm">
        <Link href="/kb" className="text-brand-600 hover:underline">
          Browse all articles
        </Link>
      </p>
    </main>
  );
}
