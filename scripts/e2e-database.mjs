// Gives the two-instance e2e run a fresh database of its own on the test server:
// `node scripts/e2e-database.mjs <server url> <database name>` drops and recreates it.
import pg from 'pg';

const [serverUrl, name] = process.argv.slice(2);
if (!serverUrl || !/^tandem_[a-z0-9_]+$/.test(name ?? '')) {
  console.error('usage: node scripts/e2e-database.mjs <postgres url> <tandem_… database name>');
  process.exit(2);
}
const client = new pg.Client({ connectionString: serverUrl });
await client.connect();
try {
  await client.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [name],
  );
  await client.query(`DROP DATABASE IF EXISTS ${name}`);
  await client.query(`CREATE DATABASE ${name}`);
} finally {
  await client.end();
}
