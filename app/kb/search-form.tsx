import { Search } from 'lucide-react';

/** The help center's search box: a plain GET form, so it works before any script loads. */
export function SearchForm({
  query = '',
  autoFocus = false,
}: {
  query?: string;
  autoFocus?: boolean;
}) {
  return (
    <search className="w-full max-w-md">
      <form action="/kb" method="get" className="flex gap-2">
        <label htmlFor="kb-search" className="sr-only">
          Search the help center
        </label>
        <input
          id="kb-search"
          type="search"
          name="q"
          defaultValue={query}
          // biome-ignore lint/a11y/noAutofocus: the search page's one purpose is this box
          autoFocus={autoFocus}
          maxLength={200}
          placeholder="Search articles"
          className="min-w-0 flex-1 rounded-md border border-gray-300 bg-white px-3 py-2 text-sm text-ink-900 placeholder:text-ink-500"
        />
        <button
          type="submit"
          className="flex items-center gap-1.5 rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700"
        >
          <Search aria-hidden="true" className="size-4" />
          Search
        </button>
      </form>
    </search>
  );
}
