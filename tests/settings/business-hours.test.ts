import { describe, expect, it } from 'vitest';
import {
  closedHoursNotice,
  describeBusinessHours,
  describeNextOpening,
  isWithinBusinessHours,
  localTime,
} from '@/lib/settings/business-hours';
import { type BusinessHours, DEFAULT_BUSINESS_HOURS } from '@/lib/settings/schema';

const weekday = { open: '09:00', close: '18:00' };
const singapore: BusinessHours = {
  enabled: true,
  timeZone: 'Asia/Singapore',
  days: {
    mon: weekday,
    tue: weekday,
    wed: weekday,
    thu: weekday,
    fri: weekday,
    sat: { open: '10:00', close: '14:00' },
    sun: null,
  },
  holidays: [],
};

// Friday 20 November 2026.
const fridayNoonUtc = new Date('2026-11-20T12:00:00Z'); // 20:00 in Singapore, 07:00 in New York
const fridayThreeUtc = new Date('2026-11-20T03:00:00Z'); // 11:00 in Singapore, Thu 22:00 in New York

describe('business hours across time zones', () => {
  it('reads the wall clock of the configured zone', () => {
    expect(localTime('Asia/Singapore', fridayNoonUtc)).toMatchObject({
      weekday: 'fri',
      minutes: 20 * 60,
    });
    expect(localTime('America/New_York', fridayThreeUtc)).toMatchObject({
      weekday: 'thu',
      minutes: 22 * 60,
    });
    expect(localTime('UTC', new Date('2026-11-20T00:00:00Z'))).toEqual({
      weekday: 'fri',
      minutes: 0,
      date: '2026-11-20',
    });
  });

  it('is open or closed by the local time, not the server’s', () => {
    expect(isWithinBusinessHours(singapore, fridayThreeUtc)).toBe(true);
    expect(isWithinBusinessHours(singapore, fridayNoonUtc)).toBe(false);
    const newYork = { ...singapore, timeZone: 'America/New_York' };
    expect(isWithinBusinessHours(newYork, fridayThreeUtc)).toBe(false);
    expect(isWithinBusinessHours(newYork, new Date('2026-11-20T15:00:00Z'))).toBe(true); // 10:00
  });

  it('opens at the opening minute and closes at the closing minute', () => {
    expect(isWithinBusinessHours(singapore, new Date('2026-11-20T01:00:00Z'))).toBe(true); // 09:00
    expect(isWithinBusinessHours(singapore, new Date('2026-11-20T00:59:00Z'))).toBe(false);
    expect(isWithinBusinessHours(singapore, new Date('2026-11-20T10:00:00Z'))).toBe(false); // 18:00
  });

  it('counts as always open while business hours are off', () => {
    expect(isWithinBusinessHours(DEFAULT_BUSINESS_HOURS, fridayNoonUtc)).toBe(true);
    expect(closedHoursNotice(DEFAULT_BUSINESS_HOURS, fridayNoonUtc)).toBeNull();
  });

  it('describes the week in runs of equal days', () => {
    expect(describeBusinessHours(singapore)).toBe(
      'Mon–Fri 09:00–18:00, Sat 10:00–14:00 (Asia/Singapore)',
    );
    expect(
      describeBusinessHours({ ...singapore, days: { ...singapore.days, wed: null, sat: null } }),
    ).toBe('Mon–Tue 09:00–18:00, Thu–Fri 09:00–18:00 (Asia/Singapore)');
  });

  it('says when the team is back', () => {
    expect(describeNextOpening(singapore, fridayNoonUtc)).toBe('tomorrow at 10:00');
    expect(describeNextOpening(singapore, new Date('2026-11-21T08:00:00Z'))).toBe(
      'on Monday at 09:00',
    ); // Sat 16:00
    expect(describeNextOpening(singapore, new Date('2026-11-20T00:30:00Z'))).toBe('today at 09:00'); // Fri 08:30
  });

  it('tells a customer the hours and when the team is back, only while closed', () => {
    expect(closedHoursNotice(singapore, fridayThreeUtc)).toBeNull();
    expect(closedHoursNotice(singapore, fridayNoonUtc)).toBe(
      "We're closed right now — our hours are Mon–Fri 09:00–18:00, Sat 10:00–14:00 (Asia/Singapore), and we're back tomorrow at 10:00.",
    );
  });
});

describe('holidays', () => {
  const withHolidays: BusinessHours = { ...singapore, holidays: ['2026-12-25', '2026-12-26'] };
  it('closes all day on a holiday, and names the next real opening', () => {
    // Friday 25 December 2026, 11:00 in Singapore.
    const christmas = new Date('2026-12-25T03:00:00Z');
    expect(isWithinBusinessHours(singapore, christmas)).toBe(true);
    expect(isWithinBusinessHours(withHolidays, christmas)).toBe(false);
    expect(closedHoursNotice(withHolidays, christmas)).toContain("we're back on Monday at 09:00");
  });
});
