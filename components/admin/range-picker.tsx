import Link from 'next/link';
import { type DateRange, formatDay, PRESET_DAYS } from '@/lib/analytics/range';

/** 7/30/90-day links and a custom from–to form, for any admin page that takes a range. */
export function RangePicker({ path, range }: { path: string; range: DateRange }) {
  const lastDay = formatDay(new Date(range.to.getTime() - 86_400_000));
  return (
    <div className="flex flex-wrap items-end gap-3">
      <nav aria-label="Date range" className="flex gap-1">
        {PRESET_DAYS.map((days) => (
          <Link
            key={days}
            href={`${path}?days=${days}`}
            aria-current={range.days === days ? 'page' : undefined}
            className={`rounded-md px-2.5 py-1 text-sm ${range.days === days ? 'bg-brand-600 text-white' : 'border border-gray-300 bg-white'}`}
          >
            {days} days
          </Link>
        ))}
      </nav>
      <form className="flex items-end gap-1 text-sm" aria-label="Custom range" action={path}>
        <label className="flex flex-col text-xs">
          From
          <input
            type="date"
            name="from"
            defaultValue={formatDay(range.from)}
            className="rounded border border-gray-300 px-1 py-0.5"
          />
        </label>
        <label className="flex flex-col text-xs">
          To
          <input
            type="date"
            name="to"
            defaultValue={lastDay}
            className="rounded border border-gray-300 px-1 py-0.5"
          />
        </label>
        <button type="submit" className="rounded-md border border-gray-300 bg-white px-2 py-1">
          Apply
        </button>
      </form>
    </div>
  );
}

/** The range from the query string, or the last 30 days with the reason it was not used. */
export function rangeOrDefault(
  parse: (p: Record<string, string | undefined>) => DateRange,
  params: Record<string, string | undefined>,
): { range: DateRange; error: string | null } {
  try {
    return { range: parse(params), error: null };
  } catch (error) {
    return {
      range: parse({}),
      error: error instanceof Error ? error.message : 'That range is not valid.',
    };
  }
}
