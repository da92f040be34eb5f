import { getApp } from '@/lib/server/app';
import { getWidgetOrigins } from '@/lib/settings/settings';

/** The allowed widget origins as the running app has them (settings cached for a few seconds). */
export async function loadWidgetOrigins(): Promise<string[]> {
  const app = await getApp();
  return getWidgetOrigins(app.database.db);
}
