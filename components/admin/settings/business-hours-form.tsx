'use client';

import { type FormEvent, useState } from 'react';
import { describeBusinessHours } from '@/lib/settings/business-hours';
import { type BusinessHours, WEEKDAYS, type Weekday } from '@/lib/settings/schema';
import { adminRequest } from '../api';
import { buttonClass, inputClass, sectionClass, useAction } from '../use-action';

const DAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export function BusinessHoursForm({ initial }: { initial: BusinessHours }) {
  const [hours, setHours] = useState(initial);
  const { run, busy, outcome } = useAction();
  const timeZones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

  const setDay = (day: Weekday, value: BusinessHours['days'][Weekday]) =>
    setHours({ ...hours, days: { ...hours.days, [day]: value } });

  async function save(event: FormEvent) {
    event.preventDefault();
    const result = await run(
      () =>
        adminRequest<{ businessHours: BusinessHours; description: string }>(
          '/api/admin/settings/business-hours',
          'PUT',
          hours,
        ),
      (r) =>
        r.businessHours.enabled
          ? `Saved: ${r.description}.`
          : 'Saved. Business hours are off, so the team counts as always open.',
    );
    if (result) setHours(result.businessHours);
  }

  return (
    <section aria-labelledby="hours-heading" className={sectionClass}>
      <h2 id="hours-heading" className="font-medium">
        Business hours
      </h2>
      <p className="text-sm text-ink-500">
        When a conversation needs a person, no one is online and it is outside these hours, the
        customer is told the hours and when the team is back.
      </p>
      {outcome}
      <form onSubmit={save} aria-label="Business hours" className="space-y-3 text-sm">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={hours.enabled}
            onChange={(e) => setHours({ ...hours, enabled: e.target.checked })}
          />
          Use business hours
        </label>
        <label className="block">
          Time zone
          <input
            list="time-zones"
            value={hours.timeZone}
            onChange={(e) => setHours({ ...hours, timeZone: e.target.value })}
            required
            className={`${inputClass} mt-1 block w-64`}
          />
          <datalist id="time-zones">
            {timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </label>
        <table className="border-collapse">
          <tbody>
            {WEEKDAYS.map((day) => {
              const h = hours.days[day];
              return (
                <tr key={day}>
                  <th scope="row" className="py-1 pr-3 text-left font-normal">
                    {DAY_LABELS[day]}
                  </th>
                  <td className="py-1 pr-3">
                    <label className="flex items-center gap-1">
                      <input
                        type="checkbox"
                        checked={h !== null}
                        onChange={(e) =>
                          setDay(day, e.target.checked ? { open: '09:00', close: '18:00' } : null)
                        }
                      />
                      Open
                    </label>
                  </td>
                  {h && (
                    <td className="flex items-center gap-1 py-1">
                      <input
                        type="time"
                        aria-label={`${DAY_LABELS[day]} opens`}
                        value={h.open}
                        onChange={(e) => setDay(day, { ...h, open: e.target.value })}
                        required
                        className={inputClass}
                      />
                      –
                      <input
                        type="time"
                        aria-label={`${DAY_LABELS[day]} closes`}
                        value={h.close}
                        onChange={(e) => setDay(day, { ...h, close: e.target.value })}
                        required
                        className={inputClass}
                      />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        <label className="block">
          Holidays (closed all day; one date per line, e.g. 2026-12-25)
          <textarea
            value={(hours.holidays ?? []).join('\n')}
            onChange={(e) =>
              setHours({
                ...hours,
                holidays: e.target.value
                  .split(/\s+/)
                  .map((d) => d.trim())
                  .filter(Boolean),
              })
            }
            rows={4}
            className={`${inputClass} mt-1 block w-64 font-mono`}
          />
        </label>
        <p className="text-ink-500">
          {WEEKDAYS.some((d) => hours.days[d]) ? describeBusinessHours(hours) : 'Closed every day'}
        </p>
        <button type="submit" disabled={busy} className={buttonClass}>
          Save business hours
        </button>
      </form>
    </section>
  );
}
