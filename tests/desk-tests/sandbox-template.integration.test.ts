import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// os.tmpdir() reads TMPDIR on each call: the templates these tests build stay in a folder of
// their own, away from the one the rest of the suite shares.
const realTmp = os.tmpdir();
let tmp: string;
let previousTmpdir: string | undefined;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(realTmp, 'tandem-template-test-'));
  previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
});
afterAll(async () => {
  if (previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmpdir;
  await rm(tmp, { recursive: true, force: true });
});

/** The module afresh, as a new process would load it (it remembers its template otherwise). */
async function freshTemplates() {
  vi.resetModules();
  return import('@/db/pglite-template');
}

async function emptyFolder() {
  return mkdtemp(path.join(tmp, 'data-'));
}

const root = () => path.join(tmp, `tandem-${process.getuid?.() ?? 'user'}`);

async function templateFolder() {
  const names = (await readdir(root())).filter((name) => name.startsWith('pglite-'));
  expect(names).toHaveLength(1);
  return path.join(root(), names[0]!);
}

/** Opens the copy without migrating it: the tables must be there already. */
async function tablesIn(dataDir: string) {
  const { openDatabase } = await import('@/db/client');
  const database = await openDatabase({ driver: 'pglite', dataDir });
  try {
    const { rows } = (await database.db.execute(
      "select count(*)::int as n from information_schema.tables where table_name in ('desk_test_runs', 'kb_documents')",
    )) as unknown as { rows: { n: number }[] };
    return rows[0]!.n;
  } finally {
    await database.close();
  }
}

describe('sandboxes start from a migrated template', () => {
  it('copies a created, migrated database into an empty folder, without the template’s manifest', async () => {
    const { copyMigratedPglite } = await freshTemplates();
    const dataDir = await emptyFolder();
    expect(await copyMigratedPglite(dataDir)).toBe(true);
    expect(await readdir(dataDir)).not.toContain('tandem-template.json');
    expect(await tablesIn(dataDir)).toBe(2);
  }, 120_000);

  it('builds the template again when a temp-folder cleaner has thinned it', async () => {
    const template = await templateFolder();
    // systemd-tmpfiles and the like delete old files and empty folders one by one.
    const empty = (await readdir(template, { recursive: true })).find((name) =>
      name.startsWith('pg_'),
    )!;
    await rm(path.join(template, empty), { recursive: true, force: true });

    const { copyMigratedPglite } = await freshTemplates();
    const dataDir = await emptyFolder();
    expect(await copyMigratedPglite(dataDir)).toBe(true);
    expect(await readdir(template, { recursive: true })).toContain(empty);
    expect(await tablesIn(dataDir)).toBe(2);
  }, 120_000);

  it.runIf(process.getuid?.() !== undefined)(
    'uses no template from a folder other users could write to',
    async () => {
      await chmod(root(), 0o777);
      try {
        const { copyMigratedPglite } = await freshTemplates();
        const dataDir = await emptyFolder();
        expect(await copyMigratedPglite(dataDir)).toBe(false);
        expect(await readdir(dataDir)).toEqual([]);
      } finally {
        await chmod(root(), 0o700);
      }
    },
  );
});
