import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The layer rules of .dependency-cruiser.cjs (run on the repository by `npm run layers` inside
 * `npm test`) against a small tree laid out like Tandem's, once with every kind of wrong import
 * and once with only allowed ones: the rules must name each wrong one and nothing else.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const depcruise = path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const folders: string[] = [];

afterAll(async () => {
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

type Tree = Record<string, string>;

interface Violation {
  rule: string;
  from: string;
  to: string;
}

async function checkLayers(tree: Tree): Promise<Violation[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tandem-layers-'));
  folders.push(dir);
  const files: Tree = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'esnext', moduleResolution: 'bundler', paths: { '@/*': ['./*'] } },
    }),
    ...tree,
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  const run = promisify(execFile);
  const args = [
    depcruise,
    '.',
    '--config',
    path.join(repo, '.dependency-cruiser.cjs'),
    '--output-type',
    'json',
  ];
  // It exits non-zero when it finds violations; the report on stdout is what matters.
  const { stdout } = await run(process.execPath, args, { cwd: dir }).catch(
    (error: { stdout?: string }) => {
      if (!error.stdout) throw error;
      return { stdout: error.stdout };
    },
  );
  const report = JSON.parse(stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return report.summary.violations
    .map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }))
    .sort((a, b) => `${a.rule}${a.from}`.localeCompare(`${b.rule}${b.from}`));
}

// One tree in the shape of ARCHITECTURE §1 where every import goes downwards.
const ALLOWED: Tree = {
  'db/schema.ts': 'export const messages = { table: "messages" };\n',
  'db/client.ts':
    "import type { DatabaseConfig } from '@/lib/config';\nexport type Db = DatabaseConfig;\n",
  'db/seed/index.ts':
    "import { indexArticle } from '@/lib/kb/ingest';\nexport const seed = indexArticle;\n",
  'lib/config.ts':
    'export interface DatabaseConfig { url: string }\nexport const getConfig = () => ({});\n',
  'lib/errors.ts': 'export class TandemError extends Error {}\n',
  'lib/log.ts': "import { getConfig } from './config';\nexport const log = getConfig;\n",
  'lib/context.ts':
    "import type { Db } from '@/db/client';\nimport type { Cache } from '@/lib/cache/types';\nexport interface AppContext { db: Db; cache: Cache }\n",
  'lib/cache/types.ts': 'export interface Cache { publish(m: string): void }\n',
  'lib/events/conversation-events.ts':
    "import type { Cache } from '@/lib/cache/types';\nimport { log } from '@/lib/log';\nexport const publish = (c: { cache: Cache }) => log;\n",
  'lib/kb/ingest.ts':
    "import { messages } from '@/db/schema';\nimport { TandemError } from '@/lib/errors';\nexport const indexArticle = () => [messages, TandemError];\n",
  'lib/conversations/lifecycle.ts':
    "import { publish } from '@/lib/events/conversation-events';\nexport const transition = publish;\n",
  'lib/turn/turn.ts':
    "import { transition } from '@/lib/conversations/lifecycle';\nimport { indexArticle } from '@/lib/kb/ingest';\nexport const turn = [transition, indexArticle];\n",
  'lib/server/app.ts':
    "import { seed } from '@/db/seed';\nimport type { AppContext } from '@/lib/context';\nimport { turn } from '@/lib/turn/turn';\nexport const startApp = (c: AppContext) => [seed, turn, c];\n",
  'scripts/seed-demo.ts':
    "import { startApp } from '@/lib/server/app';\nexport default startApp;\n",
  'app/api/chat/route.ts':
    "import { startApp } from '@/lib/server/app';\nimport { Bubble } from '@/components/widget/bubble';\nexport const POST = [startApp, Bubble];\n",
  'components/widget/bubble.ts':
    "import { turn } from '@/lib/turn/turn';\nexport const Bubble = turn;\n",
};

describe.concurrent('the layer rules', () => {
  it('pass a tree whose every import goes to a lower layer', async () => {
    expect(await checkLayers(ALLOWED)).toEqual([]);
  }, 60_000);

  it('name every import that goes up a layer, or round in a circle', async () => {
    const violations = await checkLayers({
      ...ALLOWED,
      // A circle of values between two domains (each circle is reported once).
      'lib/tickets/queries.ts':
        "import { notify } from '@/lib/email/notify';\nexport const q = notify;\n",
      'lib/email/notify.ts':
        "import { q } from '@/lib/tickets/queries';\nexport const notify = () => q;\n",
      // A circle of types only: still a circle.
      'lib/memory/facts.ts':
        "import type { Summary } from '@/lib/memory/summary';\nexport interface Fact { s?: Summary }\n",
      'lib/memory/summary.ts':
        "import type { Fact } from '@/lib/memory/facts';\nexport interface Summary { f?: Fact }\n",
      // lib/ reaching into the faces.
      'lib/analytics/dashboard.ts':
        "import { POST } from '@/app/api/chat/route';\nexport const d = POST;\n",
      // A domain using the turn, and another the composition root.
      'lib/settings/settings.ts':
        "import { turn } from '@/lib/turn/turn';\nexport const s = turn;\n",
      'lib/auth/page-guard.ts':
        "import { startApp } from '@/lib/server/app';\nexport const g = startApp;\n",
      // The turn using the composition root.
      'lib/turn/answer.ts':
        "import { startApp } from '@/lib/server/app';\nexport const a = startApp;\n",
      // The bottom importing a domain (a type is enough to break it), and the context a value.
      'lib/errors.ts':
        "import type { Fact } from '@/lib/memory/facts';\nexport class TandemError extends Error { f?: Fact }\n",
      'lib/context.ts':
        "import type { Db } from '@/db/client';\nimport type { Cache } from '@/lib/cache/types';\nimport { indexArticle } from '@/lib/kb/ingest';\nexport interface AppContext { db: Db; cache: Cache; kb: typeof indexArticle }\n",
      // db/ below lib/: the schema may name a domain's type for the JSON it stores, not a value.
      'db/schema.ts':
        "import { transition } from '@/lib/conversations/lifecycle';\nexport const messages = { table: 'messages', transition };\n",
    });
    expect(violations).toEqual([
      {
        rule: 'bottom-imports-domain-types-only',
        from: 'db/schema.ts',
        to: 'lib/conversations/lifecycle.ts',
      },
      {
        rule: 'bottom-imports-domain-types-only',
        from: 'lib/context.ts',
        to: 'lib/kb/ingest.ts',
      },
      { rule: 'bottom-imports-no-domain', from: 'lib/errors.ts', to: 'lib/memory/facts.ts' },
      { rule: 'composition-root-on-top', from: 'lib/auth/page-guard.ts', to: 'lib/server/app.ts' },
      { rule: 'composition-root-on-top', from: 'lib/turn/answer.ts', to: 'lib/server/app.ts' },
      { rule: 'domains-below-the-turn', from: 'lib/settings/settings.ts', to: 'lib/turn/turn.ts' },
      { rule: 'lib-not-to-faces', from: 'lib/analytics/dashboard.ts', to: 'app/api/chat/route.ts' },
      { rule: 'no-circular', from: 'lib/email/notify.ts', to: 'lib/tickets/queries.ts' },
      { rule: 'no-circular', from: 'lib/memory/facts.ts', to: 'lib/memory/summary.ts' },
    ]);
  }, 60_000);
});
