import type { Database } from '@/db/client';
import { DEFAULT_PRESENCE_SETTINGS, type PresenceSettings, presenceSettingsSchema } from './schema';
import { readSetting, type SettingDefinition, writeSetting } from './settings';

const PRESENCE: SettingDefinition<PresenceSettings> = {
  key: 'settings:presence',
  schema: presenceSettingsSchema,
  fallback: DEFAULT_PRESENCE_SETTINGS,
};

export const getPresenceSettings = (db: Database) => readSetting(db, PRESENCE);
export const savePresenceSettings = (db: Database, value: PresenceSettings) =>
  writeSetting(db, PRESENCE, value);
