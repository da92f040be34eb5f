import { startApp, stopApp } from '@/lib/app';
import { parseConfig } from '@/lib/config';
import { createTempDataDir } from './postgres';

/** A whole Tandem app on a throwaway PGlite folder, configured as a process would be. */
export async function startTestApp(env: Record<string, string> = {}) {
  const dataDir = await createTempDataDir();
  const app = await startApp(
    parseConfig({ TANDEM_DATA_DIR: dataDir.dir, LOG_LEVEL: 'silent', ...env }),
  );
  return {
    app,
    async stop() {
      await stopApp(app);
      await dataDir.cleanup();
    },
  };
}
