import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, openDatabase } from '@/db/client';
import { createTempDataDir, type TempDataDir } from '../harness/postgres';

function spawnIdleProcess(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}

describe('data layer: PGlite data folder lock', () => {
  const dataDirs: TempDataDir[] = [];
  const children: ChildProcess[] = [];

  const createDataDir = async () => {
    const dataDir = await createTempDataDir();
    dataDirs.push(dataDir);
    return dataDir.dir;
  };

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
    await Promise.all(dataDirs.splice(0).map((dataDir) => dataDir.cleanup()));
  });

  it('refuses a folder whose pid file names a live process, naming the folder and the pid', async () => {
    const dir = await createDataDir();
    const holder = spawnIdleProcess();
    children.push(holder);
    await once(holder, 'spawn');
    const pidFile = path.join(dir, 'tandem.pid');
    await writeFile(pidFile, String(holder.pid));

    const failure = await openDatabase({ driver: 'pglite', dataDir: dir }).then(
      () => null,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(DataDirInUseError);
    expect((failure as Error).message).toContain(
      `The data folder ${dir} is in use by process ${holder.pid}`,
    );
    expect(await readFile(pidFile, 'utf8')).toBe(String(holder.pid));
    expect(await readdir(dir)).toEqual(['tandem.pid']);
  });

  it('takes over a pid file left by a process that has exited', async () => {
    const dir = await createDataDir();
    const exited = spawnIdleProcess();
    await once(exited, 'spawn');
    exited.kill();
    await once(exited, 'exit');
    const pidFile = path.join(dir, 'tandem.pid');
    await writeFile(pidFile, String(exited.pid));

    const handle = await openDatabase({ driver: 'pglite', dataDir: dir });
    try {
      expect(await readFile(pidFile, 'utf8')).toBe(String(process.pid));
      await handle.migrate();
      await expect(handle.ping()).resolves.toBeUndefined();
    } finally {
      await handle.close();
    }
    expect((await readdir(dir)).includes('tandem.pid')).toBe(false);
  });
});
