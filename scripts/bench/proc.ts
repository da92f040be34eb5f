import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

export interface GroupMember {
  pid: number;
  state: string;
}

export const hasProcfs = existsSync('/proc/self/stat');

/** Processes whose process group is pgid, read from /proc (empty where there is no procfs). */
export async function listGroupMembers(pgid: number): Promise<GroupMember[]> {
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  const members = await Promise.all(pids.map((pid) => readMember(Number(pid), pgid)));
  return members.filter((member): member is GroupMember => member !== null);
}

async function readMember(pid: number, pgid: number): Promise<GroupMember | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // After the parenthesised command name: state, ppid, pgrp, …
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(group) === pgid && state ? { pid, state } : null;
  } catch {
    return null;
  }
}

export async function readRssBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}
