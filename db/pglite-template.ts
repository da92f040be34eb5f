import { createHash } from 'node:crypto';
import {
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './client';

/** Lists what a complete template holds; kept inside it, and not copied. */
const MANIFEST = 'tandem-template.json';

type Manifest = [relativePath: string, size: number | 'dir'][];

/**
 * Fills an empty folder with a created and migrated PGlite database, copied from a template
 * built once per set of migrations and PGlite version: creating a PGlite database (its initdb)
 * is most of what opening a fresh one costs, and copying the folder skips it. Returns false,
 * with the folder left empty, when no template can be used safely (see {@link templateRoot}) or
 * the copy fails; the database is then created where it is opened, as without a template.
 */
export async function copyMigratedPglite(dataDir: string): Promise<boolean> {
  try {
    const template = await migratedTemplate();
    if (!template) return false;
    const manifest = path.join(template, MANIFEST);
    await cp(template, dataDir, { recursive: true, filter: (source) => source !== manifest });
    // Marks it as in use, so no other build takes it for an abandoned one.
    const now = new Date();
    await utimes(template, now, now).catch(() => {});
    return true;
  } catch {
    // The template may have gone meanwhile: the next call looks for it again.
    building = undefined;
    await emptyFolder(dataDir);
    return false;
  }
}

/** Built (or checked) once per process; a failure is not kept, so the next call tries again. */
let building: Promise<string | null> | undefined;

function migratedTemplate(): Promise<string | null> {
  building ??= findOrBuildTemplate().catch((error: unknown) => {
    building = undefined;
    throw error;
  });
  return building;
}

async function findOrBuildTemplate(): Promise<string | null> {
  const root = await templateRoot();
  if (!root) return null;
  const key = await templateKey();
  const dir = path.join(root, `pglite-${key}`);
  if (await isComplete(dir)) return dir;
  // Missing, or thinned by a temp-folder cleaner: a damaged template is built again.
  await rm(dir, { recursive: true, force: true });
  const staging = await mkdtemp(path.join(root, 'building-'));
  try {
    const database = await openDatabase({ driver: 'pglite', dataDir: staging });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    await writeFile(path.join(staging, MANIFEST), JSON.stringify(await listFolder(staging)));
    // The rename is atomic, so a template that exists is complete; when processes race to
    // build it, the first one's stays and the others drop theirs.
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  await dropOtherTemplates(root, dir);
  return dir;
}

/**
 * A folder of this user's own in the OS temp folder, which no other user can write to: a
 * template planted by someone else would become every copy's database. Null when the folder
 * is not (it exists as a link, or with another owner or open permissions).
 */
async function templateRoot(): Promise<string | null> {
  const uid = process.getuid?.();
  const root = path.join(os.tmpdir(), `tandem-${uid ?? 'user'}`);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const info = await lstat(root);
  if (!info.isDirectory() || info.isSymbolicLink()) return null;
  // Windows has no owners or modes here; its temp folder is the user's own.
  if (uid !== undefined && (info.uid !== uid || (info.mode & 0o022) !== 0)) return null;
  return root;
}

/** Changes with the PGlite packages and with any migration. */
async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    const manifest = path.join(process.cwd(), 'node_modules', pkg, 'package.json');
    hash.update(`${pkg}@${JSON.parse(await readFile(manifest, 'utf8')).version}\n`);
  }
  const migrations = path.join(process.cwd(), 'db', 'migrations');
  for (const file of (await readdir(migrations, { recursive: true })).sort()) {
    const text = await readFile(path.join(migrations, file)).catch(() => null);
    if (text) hash.update(file).update(text);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Every folder and file of `dir` with its size, in a stable order. */
async function listFolder(dir: string): Promise<Manifest> {
  const entries: Manifest = [];
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    if (name === MANIFEST) continue;
    const info = await lstat(path.join(dir, name));
    entries.push([name, info.isDirectory() ? 'dir' : info.size]);
  }
  return entries;
}

/** Whether the template holds everything it held when built (cleaners delete old temp files). */
async function isComplete(dir: string): Promise<boolean> {
  try {
    const expected = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    const actual = new Map(await listFolder(dir));
    return expected.every(([name, size]) => actual.get(name) === size);
  } catch {
    return false;
  }
}

/** How long an unused template (of migrations no checkout has now) or a crashed build is kept. */
const KEEP_MS = { template: 7 * 24 * 60 * 60 * 1000, build: 60 * 60 * 1000 };

/**
 * Drops templates of other migrations or PGlite versions (40 MB each) once unused for a week,
 * not at once, since another checkout or an older server may still be copying its own; and
 * folders left by builds that crashed.
 */
async function dropOtherTemplates(root: string, keep: string) {
  for (const name of await readdir(root)) {
    const dir = path.join(root, name);
    const keepFor = name.startsWith('pglite-')
      ? KEEP_MS.template
      : name.startsWith('building-')
        ? KEEP_MS.build
        : null;
    if (dir === keep || keepFor === null) continue;
    const info = await lstat(dir).catch(() => null);
    if (info && Date.now() - info.mtimeMs > keepFor) {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }
}

async function emptyFolder(dir: string) {
  for (const name of await readdir(dir).catch(() => [])) {
    await rm(path.join(dir, name), { recursive: true, force: true });
  }
}
