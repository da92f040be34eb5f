// `npm run apikey -- create --name NAME --scopes read,write [--rate-limit 120]`
// `npm run apikey -- list` · `npm run apikey -- revoke ID`
// For operators and scripts: keys for the public API, on the configured database.
import { parseArgs } from 'node:util';
import {
  API_SCOPES,
  type ApiScope,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from '@/lib/api-keys/keys';
import { getConfig } from '@/lib/config';
import { startApp, stopApp } from '@/lib/server/app';
import { noWorker } from '@/lib/server/job-handlers';

const usage = `usage:
  npm run apikey -- create --name NAME --scopes ${API_SCOPES.join(',')} [--rate-limit PER_MINUTE]
  npm run apikey -- list
  npm run apikey -- revoke ID`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      'rate-limit': { type: 'string' },
    },
  });
  const [command, id] = positionals;
  const scopes = (values.scopes ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const rateLimit = values['rate-limit'] === undefined ? undefined : Number(values['rate-limit']);
  const valid =
    (command === 'create' &&
      values.name?.trim() &&
      scopes.length > 0 &&
      scopes.every((s) => (API_SCOPES as readonly string[]).includes(s)) &&
      (rateLimit === undefined || (Number.isInteger(rateLimit) && rateLimit > 0))) ||
    command === 'list' ||
    (command === 'revoke' && id);
  if (!valid) {
    console.error(usage);
    return 2;
  }
  const app = await startApp({ ...noWorker(getConfig()), logLevel: 'error' });
  try {
    const { db } = app.database;
    if (command === 'create') {
      const { key, apiKey } = await createApiKey(db, {
        name: values.name!.trim(),
        scopes: scopes as ApiScope[],
        rateLimitPerMinute: rateLimit,
      });
      console.log(`Created "${apiKey.name}" (${apiKey.id}), scopes ${apiKey.scopes.join(', ')}.`);
      console.log('Keep this key now; it is shown only once:');
      console.log(key);
    } else if (command === 'list') {
      for (const k of await listApiKeys(db)) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        console.log(
          `${k.id}  ${k.prefix}…  ${k.name}  [${k.scopes.join(',')}]  ${k.rateLimitPerMinute}/min  ${state}`,
        );
      }
    } else {
      await revokeApiKey(db, id!);
      console.log(`Revoked ${id}.`);
    }
    return 0;
  } finally {
    await stopApp(app);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // e.g. the embedded database is held by a running server: its message names the folder.
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
