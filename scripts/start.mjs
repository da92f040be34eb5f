// `npm start`: builds on the first run (or when no build exists), then serves the production app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (args) => {
  const result = spawnSync('npx', ['next', ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

if (!existsSync('.next/BUILD_ID')) run(['build']);
run(['start', ...process.argv.slice(2)]);
