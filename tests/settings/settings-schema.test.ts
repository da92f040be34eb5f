import { describe, expect, it } from 'vitest';
import {
  businessHoursSchema,
  DEFAULT_BUSINESS_HOURS,
  escalationOverrideSchema,
  widgetSettingsSchema,
} from '@/lib/settings/schema';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('settings validation', () => {
  it('accepts a widget appearance and normalises the colour', () => {
    expect(
      widgetSettingsSchema.parse({ name: ' Kettle ', colour: '#B4235A', greeting: 'Hi there' }),
    ).toEqual({ name: 'Kettle', colour: '#b4235a', greeting: 'Hi there' });
  });

  it('keeps a business name trimmed, drops a blank one, and refuses one too long', () => {
    const widget = { name: 'Kettle Helper', colour: '#000000', greeting: 'Hi' };
    expect(widgetSettingsSchema.parse({ ...widget, businessName: ' Kettle ' })).toEqual({
      ...widget,
      businessName: 'Kettle',
    });
    expect(
      widgetSettingsSchema.parse({ ...widget, businessName: '   ' }).businessName,
    ).toBeUndefined();
    const long = widgetSettingsSchema.safeParse({ ...widget, businessName: 'K'.repeat(81) });
    expect(issues(long)).toEqual(['businessName']);
  });

  it('refuses colours that are not #rrggbb, and empty names and greetings', () => {
    for (const colour of ['red', '#abc', '#12345g', 'rgb(1,2,3)', '#1234567']) {
      const result = widgetSettingsSchema.safeParse({ name: 'A', colour, greeting: 'Hi' });
      expect(issues(result)).toEqual(['colour']);
    }
    const empty = widgetSettingsSchema.safeParse({ name: ' ', colour: '#000000', greeting: '' });
    expect(issues(empty)).toEqual(['name', 'greeting']);
  });

  it('keeps escalation overrides within range and rejects unknown thresholds', () => {
    expect(escalationOverrideSchema.parse({ frustration: 0.6 })).toEqual({ frustration: 0.6 });
    expect(issues(escalationOverrideSchema.safeParse({ frustration: 1.2 }))).toEqual([
      'frustration',
    ]);
    expect(issues(escalationOverrideSchema.safeParse({ frustratedAt: -0.1 }))).toEqual([
      'frustratedAt',
    ]);
    expect(issues(escalationOverrideSchema.safeParse({ frustratedMessages: 2.5 }))).toEqual([
      'frustratedMessages',
    ]);
    expect(issues(escalationOverrideSchema.safeParse({ lowConfidenceStreak: 21 }))).toEqual([
      'lowConfidenceStreak',
    ]);
    expect(escalationOverrideSchema.safeParse({ sillyThreshold: 1 }).success).toBe(false);
  });

  it('needs a real time zone, proper times, and an open day while hours are on', () => {
    expect(businessHoursSchema.parse(DEFAULT_BUSINESS_HOURS)).toEqual(DEFAULT_BUSINESS_HOURS);
    const zone = businessHoursSchema.safeParse({
      ...DEFAULT_BUSINESS_HOURS,
      timeZone: 'Mars/Base',
    });
    expect(issues(zone)).toEqual(['timeZone']);
    const backwards = businessHoursSchema.safeParse({
      ...DEFAULT_BUSINESS_HOURS,
      days: { ...DEFAULT_BUSINESS_HOURS.days, mon: { open: '18:00', close: '09:00' } },
    });
    expect(issues(backwards)).toEqual(['days.mon.close']);
    const badTime = businessHoursSchema.safeParse({
      ...DEFAULT_BUSINESS_HOURS,
      days: { ...DEFAULT_BUSINESS_HOURS.days, tue: { open: '9am', close: '25:00' } },
    });
    expect(issues(badTime)).toEqual(['days.tue.open', 'days.tue.close']);
    const closed = Object.fromEntries(
      Object.keys(DEFAULT_BUSINESS_HOURS.days).map((d) => [d, null]),
    );
    expect(
      issues(businessHoursSchema.safeParse({ enabled: true, timeZone: 'UTC', days: closed })),
    ).toEqual(['days']);
    expect(
      businessHoursSchema.safeParse({ enabled: false, timeZone: 'UTC', days: closed }).success,
    ).toBe(true);
  });
});
