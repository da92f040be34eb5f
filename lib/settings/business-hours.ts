import { type BusinessHours, WEEKDAYS, type Weekday } from './schema';

const DAY_NAMES: Record<Weekday, { short: string; long: string }> = {
  mon: { short: 'Mon', long: 'Monday' },
  tue: { short: 'Tue', long: 'Tuesday' },
  wed: { short: 'Wed', long: 'Wednesday' },
  thu: { short: 'Thu', long: 'Thursday' },
  fri: { short: 'Fri', long: 'Friday' },
  sat: { short: 'Sat', long: 'Saturday' },
  sun: { short: 'Sun', long: 'Sunday' },
};

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The weekday, date and minutes since midnight at `at` on the wall clocks of `timeZone`. */
export function localTime(
  timeZone: string,
  at: Date,
): { weekday: Weekday; minutes: number; date: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = part('weekday').toLowerCase() as Weekday;
  return {
    weekday,
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
    date: `${part('year')}-${part('month')}-${part('day')}`,
  };
}

const DAY_MS = 86_400_000;
const isHoliday = (hours: BusinessHours, date: string) => (hours.holidays ?? []).includes(date);

/** Whether the team is within its hours at `at`; always true while business hours are off. */
export function isWithinBusinessHours(hours: BusinessHours, at: Date): boolean {
  if (!hours.enabled) return true;
  const { weekday, minutes, date } = localTime(hours.timeZone, at);
  if (isHoliday(hours, date)) return false;
  const today = hours.days[weekday];
  return today !== null && minutesOf(today.open) <= minutes && minutes < minutesOf(today.close);
}

/** "Mon–Fri 09:00–18:00, Sat 10:00–14:00 (Asia/Singapore)": runs of days with equal hours. */
export function describeBusinessHours(hours: BusinessHours): string {
  const runs: { from: Weekday; to: Weekday; span: string }[] = [];
  for (const day of WEEKDAYS) {
    const h = hours.days[day];
    if (!h) continue;
    const span = `${h.open}–${h.close}`;
    const last = runs[runs.length - 1];
    const previous = WEEKDAYS[WEEKDAYS.indexOf(day) - 1];
    if (last && last.span === span && last.to === previous) last.to = day;
    else runs.push({ from: day, to: day, span });
  }
  const list = runs
    .map((r) =>
      r.from === r.to
        ? `${DAY_NAMES[r.from].short} ${r.span}`
        : `${DAY_NAMES[r.from].short}–${DAY_NAMES[r.to].short} ${r.span}`,
    )
    .join(', ');
  return `${list} (${hours.timeZone})`;
}

/** When the team next opens after `at`, in words: "today at 09:00", "tomorrow at 09:00", "on Monday at 09:00". */
export function describeNextOpening(hours: BusinessHours, at: Date): string | null {
  const { weekday, minutes } = localTime(hours.timeZone, at);
  const start = WEEKDAYS.indexOf(weekday);
  // Far enough to pass a run of holidays (Chinese New Year, year-end).
  for (let offset = 0; offset <= 21; offset++) {
    const day = WEEKDAYS[(start + offset) % 7]!;
    const h = hours.days[day];
    if (!h || (offset === 0 && minutes >= minutesOf(h.open))) continue;
    if (isHoliday(hours, localTime(hours.timeZone, new Date(at.getTime() + offset * DAY_MS)).date))
      continue;
    if (offset >= 7) {
      const date = localTime(hours.timeZone, new Date(at.getTime() + offset * DAY_MS)).date;
      return `on ${DAY_NAMES[day].long} ${date} at ${h.open}`;
    }
    const when = offset === 0 ? 'today' : offset === 1 ? 'tomorrow' : `on ${DAY_NAMES[day].long}`;
    return `${when} at ${h.open}`;
  }
  return null;
}

/**
 * What a customer is told about the hours when they reach the team while it is closed, or null
 * while it is open (or business hours are off).
 */
export function closedHoursNotice(hours: BusinessHours, at: Date): string | null {
  if (isWithinBusinessHours(hours, at)) return null;
  const next = describeNextOpening(hours, at);
  return `We're closed right now — our hours are ${describeBusinessHours(hours)}${next ? `, and we're back ${next}` : ''}.`;
}
