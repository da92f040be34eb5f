import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasProcfs, listGroupMembers } from './proc';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A child started as the leader of its own process group, so its whole tree can be stopped. */
export interface ProcessGroup {
  child: ChildProcess;
  pgid: number;
  exited: Promise<Exit>;
  hasExited(): boolean;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5000;
const live = new Set<ProcessGroup>();

export function spawnGroup(command: string, args: string[], options: SpawnOptions): ProcessGroup {
  const child = spawn(command, args, { ...options, detached: true });
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    const settle = (outcome: Exit) => {
      exit ??= outcome;
      resolve(exit);
    };
    child.once('exit', (code, signal) => settle({ code, signal }));
    child.once('error', (error) => settle({ code: null, signal: null, error }));
  });
  const group: ProcessGroup = {
    child,
    pgid: child.pid ?? -1,
    exited,
    hasExited: () => exit !== undefined,
    stop: () => stopGroup(group),
  };
  live.add(group);
  return group;
}

/** Stops every group still running; used on errors and signals. */
export async function stopAllGroups(): Promise<void> {
  await Promise.all([...live].map((group) => group.stop()));
}

async function stopGroup(group: ProcessGroup): Promise<void> {
  if (group.pgid > 0) {
    signalGroup(group.pgid, 'SIGTERM');
    if (!(await waitForGroupExit(group.pgid, STOP_GRACE_MS))) {
      signalGroup(group.pgid, 'SIGKILL');
      await waitForGroupExit(group.pgid, STOP_GRACE_MS);
    }
  }
  await group.exited;
  live.delete(group);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Zombies do not count: once reparented to an init that never reaps, they would linger forever. */
async function isGroupAlive(pgid: number): Promise<boolean> {
  if (pgid <= 0) return false;
  if (hasProcfs) return (await listGroupMembers(pgid)).some((member) => member.state !== 'Z');
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isGroupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
