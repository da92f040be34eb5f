import type { Database } from '@/db/client';
import { readStoredSetting } from './queries';
import {
  DEFAULT_INACTIVITY_SETTINGS,
  type InactivitySettings,
  inactivitySettingsSchema,
} from './schema';
import { readSetting, type SettingDefinition, writeSetting } from './settings';

const INACTIVITY: SettingDefinition<InactivitySettings> = {
  key: 'settings:inactivity',
  schema: inactivitySettingsSchema,
  fallback: DEFAULT_INACTIVITY_SETTINGS,
};

export const getInactivitySettings = (db: Database) => readSetting(db, INACTIVITY);
export const saveInactivitySettings = (db: Database, value: InactivitySettings) =>
  writeSetting(db, INACTIVITY, value);

/** Whether the policy does anything at all, so its sweep need not run. */
export const inactivityPolicyOn = (settings: InactivitySettings) =>
  settings.ask.enabled || settings.resolve.enabled;

/**
 * As stored now, past every instance's cached copy: the sweep decides from this whether to run
 * again, and a copy a few seconds old would stop it just after an admin turned the policy on.
 */
export async function readInactivitySettingsNow(db: Database): Promise<InactivitySettings> {
  const parsed = inactivitySettingsSchema.safeParse(await readStoredSetting(db, INACTIVITY.key));
  return parsed.success ? parsed.data : DEFAULT_INACTIVITY_SETTINGS;
}
