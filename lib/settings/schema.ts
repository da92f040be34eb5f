import { z } from 'zod';

/** `#rrggbb`; stored lower-case so comparisons and CSS are predictable. */
export const HEX_COLOUR = /^#[0-9a-f]{6}$/;

export const widgetSettingsSchema = z.object({
  /** The assistant's name, shown on the widget and used in its greetings and instructions. */
  name: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters'),
  /** The business the assistant speaks for; absent (or blank) when none is named. */
  businessName: z
    .string()
    .trim()
    .max(80, 'must be at most 80 characters')
    .transform((name) => name || undefined)
    .optional(),
  colour: z.string().trim().toLowerCase().regex(HEX_COLOUR, 'must be a hex colour such as #2057d1'),
  greeting: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(500, 'must be at most 500 characters'),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

/** Tandem's own widget: it names no business until an admin (or the demo seed) does. */
export const DEFAULT_WIDGET_SETTINGS: Readonly<WidgetSettings> = {
  name: 'Support Assistant',
  colour: '#2057d1',
  greeting:
    'Hi! Ask me a question and I’ll answer from our help center, or bring in a person from our team.',
};

/** Who the assistant is, as its prompts and greetings name it. */
export interface AssistantIdentity {
  assistantName: string;
  businessName?: string;
}

export function assistantIdentityOf(
  widget: Pick<WidgetSettings, 'name' | 'businessName'>,
): AssistantIdentity {
  return widget.businessName
    ? { assistantName: widget.name, businessName: widget.businessName }
    : { assistantName: widget.name };
}

const share = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const count = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be between 0 and 20')
  .max(20, 'must be between 0 and 20');

/** Admin overrides of the escalation thresholds; a missing field keeps the environment's value. */
export const escalationOverrideSchema = z
  .object({
    frustration: share,
    frustratedMessages: count,
    frustratedAt: share,
    lowConfidenceStreak: count,
    decliningWindow: count,
  })
  .partial()
  .strict();
export type EscalationOverride = z.infer<typeof escalationOverrideSchema>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const clock = z.string().regex(CLOCK, 'must be a time such as 09:00 (24-hour)');

const openingHours = z.object({ open: clock, close: clock }).refine(
  // Malformed times are reported by their own fields; only well-formed ones are compared.
  (h) => !CLOCK.test(h.open) || !CLOCK.test(h.close) || h.open < h.close,
  { message: 'must close after it opens', path: ['close'] },
);

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const businessHoursSchema = z
  .object({
    /** Off: the team is treated as always open, and only presence decides what customers hear. */
    enabled: z.boolean(),
    timeZone: z
      .string()
      .trim()
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Singapore'),
    /** Each day's opening hours in `timeZone`; null is closed all day. */
    days: z.object(
      Object.fromEntries(WEEKDAYS.map((d) => [d, openingHours.nullable()])) as Record<
        Weekday,
        z.ZodNullable<typeof openingHours>
      >,
    ),
    /** Dates (in `timeZone`) the team is closed all day, e.g. public holidays. */
    holidays: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be dates like 2026-12-25'))
      .max(366)
      .default([]),
  })
  .refine((h) => !h.enabled || WEEKDAYS.some((d) => h.days[d] !== null), {
    message: 'must have at least one open day while business hours are on',
    path: ['days'],
  });
export type BusinessHours = z.infer<typeof businessHoursSchema>;

const weekday = { open: '09:00', close: '18:00' };
export const DEFAULT_BUSINESS_HOURS: Readonly<BusinessHours> = {
  enabled: false,
  timeZone: 'Asia/Singapore',
  holidays: [],
  days: {
    mon: weekday,
    tue: weekday,
    wed: weekday,
    thu: weekday,
    fri: weekday,
    sat: null,
    sun: null,
  },
};

/**
 * A site allowed to embed the widget and call the chat API from the browser: an http(s) origin,
 * scheme and host (and port) only, stored as the browser sends it in `Origin`.
 */
export const widgetOriginSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        url.origin === value.replace(/\/$/, '').toLowerCase()
      );
    } catch {
      return false;
    }
  }, 'must be an origin such as https://shop.example.com (scheme and host, no path)')
  .transform((value) => new URL(value).origin);

export const widgetOriginsSchema = z.object({
  origins: z
    .array(widgetOriginSchema)
    .max(50, 'at most 50 origins')
    .transform((origins) => [...new Set(origins)]),
});
export type WidgetOrigins = z.infer<typeof widgetOriginsSchema>;

const noticeText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1500, 'must be at most 1500 characters');

/** The consent notice in each language the widget speaks; `[label](/path)` makes a link. */
export const consentNoticeSchema = z.object({ en: noticeText, zh: noticeText });
export type ConsentNotice = z.infer<typeof consentNoticeSchema>;

/** What an admin saves: whether consent is asked for, and the notice's wording. */
export const consentSettingsInputSchema = z.object({
  required: z.boolean(),
  notice: consentNoticeSchema,
});
export type ConsentSettingsInput = z.infer<typeof consentSettingsInputSchema>;

/**
 * As stored: `required` is absent until an admin chooses (the environment's default applies), and
 * `version` identifies the wording customers answered.
 */
export const storedConsentSettingsSchema = z.object({
  required: z.boolean().optional(),
  notice: consentNoticeSchema,
  version: z.string().min(1).max(64),
});
export type StoredConsentSettings = z.infer<typeof storedConsentSettingsSchema>;

export const PRIVACY_ARTICLE_PATH = '/kb/privacy-and-your-data';

export const DEFAULT_CONSENT_NOTICE: Readonly<ConsentNotice> = {
  en: `Our assistant uses AI. Your messages are processed by an AI model to answer you, and stored so our team can follow up. If you decline, no AI reads your messages and you can still leave a message for our team. [Privacy and your data](${PRIVACY_ARTICLE_PATH})`,
  zh: `我们的助手使用人工智能。您的消息将由 AI 模型处理以回答您的问题，并会被保存，以便我们的团队跟进。如果您拒绝，AI 不会读取您的消息，您仍可以给我们的团队留言。[隐私与您的数据](${PRIVACY_ARTICLE_PATH})`,
};

/** How the console decides that an agent with it open has stepped away. */
export const presenceSettingsSchema = z.object({
  /** Minutes without a key press, click or touch in the console before an agent counts as away; 0 never. */
  idleMinutes: z
    .number()
    .int('must be a whole number of minutes')
    .min(0, 'must be between 0 and 240')
    .max(240, 'must be between 0 and 240'),
});
export type PresenceSettings = z.infer<typeof presenceSettingsSchema>;

export const DEFAULT_PRESENCE_SETTINGS: Readonly<PresenceSettings> = { idleMinutes: 10 };

/** Longest either step can wait: a day. */
export const QUIET_MAX_SECONDS = 86_400;
/** Shortest: a few seconds, which the sweep can still honour (see lib/jobs/inactivity.ts). */
export const QUIET_MIN_SECONDS = 5;

const quietSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(QUIET_MIN_SECONDS, 'must be between 5 seconds and 24 hours (86400 seconds)')
  .max(QUIET_MAX_SECONDS, 'must be between 5 seconds and 24 hours (86400 seconds)');

/**
 * What happens when a customer goes quiet after the assistant's answer, while the assistant has
 * the conversation: asked whether they are still there after `ask.afterSeconds`, and resolved
 * `resolve.afterSeconds` after that question (after the answer when nobody asks). Each step can
 * be turned off; with both off a quiet conversation stays open.
 */
export const inactivitySettingsSchema = z.object({
  ask: z.object({ enabled: z.boolean(), afterSeconds: quietSeconds }),
  resolve: z.object({ enabled: z.boolean(), afterSeconds: quietSeconds }),
});
export type InactivitySettings = z.infer<typeof inactivitySettingsSchema>;

export const DEFAULT_INACTIVITY_SETTINGS: Readonly<InactivitySettings> = {
  ask: { enabled: true, afterSeconds: 600 },
  resolve: { enabled: true, afterSeconds: 600 },
};

/** "45 seconds", "1 minute", "10 minutes", "90 seconds": a quiet time as people say it. */
export function describeQuietTime(seconds: number): string {
  if (seconds % 60 !== 0) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = seconds / 60;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
