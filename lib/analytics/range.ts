import { z } from 'zod';
import { TandemError } from '@/lib/errors';

export const PRESET_DAYS = [7, 30, 90] as const;
const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

export interface DateRange {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** 7, 30 or 90 for the presets; null for a custom range. */
  days: number | null;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-21');

/**
 * The dashboard's range from its query string: `days=7|30|90` (ending today, UTC), or `from` and
 * `to` dates (inclusive, UTC). Defaults to the last 30 days.
 */
export function parseDateRange(
  params: URLSearchParams | Record<string, string | undefined>,
  now = new Date(),
): DateRange {
  const get = (k: string) =>
    params instanceof URLSearchParams ? (params.get(k) ?? undefined) : params[k];
  const from = get('from');
  const to = get('to');
  const endOfToday = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS,
  );
  if (from || to) {
    const parsed = z.object({ from: isoDate, to: isoDate }).safeParse({ from, to });
    if (!parsed.success) {
      throw new TandemError('bad_request:range', 'Give both from and to as dates like 2026-11-21.');
    }
    const start = new Date(`${parsed.data.from}T00:00:00Z`);
    const end = new Date(new Date(`${parsed.data.to}T00:00:00Z`).getTime() + DAY_MS);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
      throw new TandemError(
        'bad_request:range',
        'The range must end on or after the day it starts.',
      );
    }
    if (end.getTime() - start.getTime() > MAX_DAYS * DAY_MS) {
      throw new TandemError('bad_request:range', `A range can span at most ${MAX_DAYS} days.`);
    }
    return { from: start, to: end, days: null };
  }
  const days = Number(get('days') ?? 30);
  if (!PRESET_DAYS.includes(days as (typeof PRESET_DAYS)[number])) {
    throw new TandemError('bad_request:range', 'days must be 7, 30 or 90 (or give from and to).');
  }
  return { from: new Date(endOfToday.getTime() - days * DAY_MS), to: endOfToday, days };
}

export const formatDay = (date: Date) => date.toISOString().slice(0, 10);
