import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Database } from '@/db/client';
import { createDatabaseCache } from '@/lib/cache/per-database';
import type { EscalationThresholds } from '@/lib/config';
import { deleteStoredSetting, readStoredSetting, writeStoredSetting } from './queries';
import {
  type AssistantIdentity,
  assistantIdentityOf,
  type BusinessHours,
  businessHoursSchema,
  type ConsentNotice,
  type ConsentSettingsInput,
  DEFAULT_BUSINESS_HOURS,
  DEFAULT_CONSENT_NOTICE,
  DEFAULT_WIDGET_SETTINGS,
  type EscalationOverride,
  escalationOverrideSchema,
  type StoredConsentSettings,
  storedConsentSettingsSchema,
  type WidgetOrigins,
  type WidgetSettings,
  widgetOriginsSchema,
  widgetSettingsSchema,
} from './schema';

/**
 * How long an instance trusts its copy of a setting. Every customer message reads the thresholds
 * and business hours; this keeps that to one query per few seconds, and a change made on another
 * instance applies there within this time. The instance that saves applies it at once.
 */
export const SETTINGS_TTL_MS = 5_000;

export interface SettingDefinition<T> {
  key: string;
  schema: z.ZodType<T>;
  fallback: T;
}

const WIDGET: SettingDefinition<WidgetSettings> = {
  key: 'settings:widget',
  schema: widgetSettingsSchema,
  fallback: DEFAULT_WIDGET_SETTINGS,
};
const ESCALATION: SettingDefinition<EscalationOverride> = {
  key: 'settings:escalation',
  schema: escalationOverrideSchema,
  fallback: {},
};
const BUSINESS_HOURS: SettingDefinition<BusinessHours> = {
  key: 'settings:business-hours',
  schema: businessHoursSchema,
  fallback: DEFAULT_BUSINESS_HOURS,
};

const WIDGET_ORIGINS: SettingDefinition<WidgetOrigins> = {
  key: 'settings:widget-origins',
  schema: widgetOriginsSchema,
  fallback: { origins: [] },
};

/** The notice's version follows its wording: a saved change of wording asks customers again. */
export function consentNoticeVersion(notice: ConsentNotice): string {
  return createHash('sha256')
    .update(JSON.stringify([notice.en, notice.zh]))
    .digest('hex')
    .slice(0, 12);
}

const CONSENT: SettingDefinition<StoredConsentSettings> = {
  key: 'settings:consent',
  schema: storedConsentSettingsSchema,
  fallback: {
    notice: DEFAULT_CONSENT_NOTICE,
    version: consentNoticeVersion(DEFAULT_CONSENT_NOTICE),
  },
};

const cached = createDatabaseCache<unknown>('settings', SETTINGS_TTL_MS);

export function readSetting<T>(db: Database, setting: SettingDefinition<T>): Promise<T> {
  return cached.read(db, setting.key, async () => {
    const stored = await readStoredSetting(db, setting.key);
    // A value that no longer validates (e.g. written by an older version) falls back to the default.
    const parsed = stored === undefined ? null : setting.schema.safeParse(stored);
    return parsed?.success ? parsed.data : setting.fallback;
  }) as Promise<T>;
}

export async function writeSetting<T>(db: Database, setting: SettingDefinition<T>, value: T) {
  const valid = setting.schema.parse(value);
  await writeStoredSetting(db, setting.key, valid);
  cached.forget(db, setting.key);
  return valid;
}

async function resetSetting<T>(db: Database, setting: SettingDefinition<T>) {
  await deleteStoredSetting(db, setting.key);
  cached.forget(db, setting.key);
}

export const getWidgetSettings = (db: Database) => readSetting(db, WIDGET);
export const saveWidgetSettings = (db: Database, value: WidgetSettings) =>
  writeSetting(db, WIDGET, value);
export const resetWidgetSettings = (db: Database) => resetSetting(db, WIDGET);

export type { AssistantIdentity };

/** Who the assistant is and which business it speaks for, as the widget settings name them. */
export async function getAssistantIdentity(db: Database): Promise<AssistantIdentity> {
  return assistantIdentityOf(await getWidgetSettings(db));
}

/** Sites that may frame /widget and call the chat API cross-origin; none by default. */
export const getWidgetOrigins = async (db: Database) =>
  (await readSetting(db, WIDGET_ORIGINS)).origins;
export const saveWidgetOrigins = (db: Database, value: WidgetOrigins) =>
  writeSetting(db, WIDGET_ORIGINS, value);

export const getBusinessHours = (db: Database) => readSetting(db, BUSINESS_HOURS);
export const saveBusinessHours = (db: Database, value: BusinessHours) =>
  writeSetting(db, BUSINESS_HOURS, value);

export const getEscalationOverride = (db: Database) => readSetting(db, ESCALATION);
export const saveEscalationOverride = (db: Database, value: EscalationOverride) =>
  writeSetting(db, ESCALATION, value);
export const resetEscalationOverride = (db: Database) => resetSetting(db, ESCALATION);

export interface ConsentSettings {
  required: boolean;
  notice: ConsentNotice;
  version: string;
}

/** The consent notice in force; whether it is required defaults to the environment's choice. */
export async function getConsentSettings(
  db: Database,
  requiredByDefault: boolean,
): Promise<ConsentSettings> {
  const stored = await readSetting(db, CONSENT);
  return {
    required: stored.required ?? requiredByDefault,
    notice: stored.notice,
    version: stored.version,
  };
}

export async function saveConsentSettings(
  db: Database,
  input: ConsentSettingsInput,
): Promise<ConsentSettings> {
  const saved = await writeSetting(db, CONSENT, {
    required: input.required,
    notice: input.notice,
    version: consentNoticeVersion(input.notice),
  });
  return { required: input.required, notice: saved.notice, version: saved.version };
}

/** The thresholds in force: the environment's values, with the admins' overrides on top. */
export async function getEscalationThresholds(
  db: Database,
  defaults: EscalationThresholds,
): Promise<EscalationThresholds> {
  return { ...defaults, ...(await getEscalationOverride(db)) };
}

/** Everything the settings page shows, as stored or defaulted. */
export async function getSettingsOverview(
  db: Database,
  escalationDefaults: EscalationThresholds,
  consentRequiredByDefault: boolean,
) {
  const [widget, override, businessHours, widgetOrigins, consent] = await Promise.all([
    getWidgetSettings(db),
    getEscalationOverride(db),
    getBusinessHours(db),
    getWidgetOrigins(db),
    getConsentSettings(db, consentRequiredByDefault),
  ]);
  return {
    consent,
    widget,
    widgetOrigins,
    escalation: {
      defaults: escalationDefaults,
      override,
      effective: { ...escalationDefaults, ...override },
    },
    businessHours,
  };
}
