// Process trees from /proc (proc(5)): a process's stat fields, its children and descendants, its environment.
// A unit's processes are kept by unit-processes.ts from events; these are the reads it (and status) needs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readKernelFile } from './kernel-file.js';
import { loadNative } from './native.js';

/** The fields of /proc/PID/stat that supervision needs. */
export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  /** R, S, D, Z, T, ... (proc(5)). */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  /** Clock ticks since boot; with the pid it names one process for its whole life. */
  readonly startTime: number;
}

/** Reads /proc/PID/stat; undefined if the process is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readKernelFile(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
  // comm may hold spaces and parentheses: it ends at the LAST ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field n is rest[n - 3].
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    session: Number(rest[3]),
    startTime: Number(rest[19]),
  };
}

/** Whether the pid exists, zombies included (systemd's pid_is_unwaited()): one kill(pid, 0), no /proc read. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Every pid in /proc. */
export function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0) pids.push(pid);
  }
  return pids;
}

// /proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN; without it, every /proc/PID/stat is scanned.
const childrenFileWorks = existsSync(`/proc/self/task/${process.pid}/children`);

function readChildrenFiles(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const native = loadNative();
  // A thread that ended meanwhile has no file to read (null).
  return tids.flatMap((tid) => native.readPidList(`/proc/${pid}/task/${tid}/children`) ?? []);
}

/** A ppid map of the whole system, built from one scan of /proc. */
export function snapshotParents(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const pid of listPids()) {
    const stat = readProcStat(pid);
    if (stat !== undefined) stats.set(pid, stat);
  }
  return stats;
}

/** Direct children of `pid` (of all its threads), zombies included. */
export function childrenOf(pid: number): number[] {
  if (childrenFileWorks) return readChildrenFiles(pid);
  const children: number[] = [];
  for (const stat of snapshotParents().values()) if (stat.ppid === pid) children.push(stat.pid);
  return children;
}

/** Every descendant of `pid` (not `pid` itself), zombies included, parents before children. */
export function descendantsOf(pid: number): number[] {
  return descendantsIn(snapshotParents(), [pid]);
}

function descendantsIn(snapshot: ReadonlyMap<number, ProcStat>, roots: readonly number[]): number[] {
  const byParent = new Map<number, number[]>();
  for (const stat of snapshot.values()) {
    const siblings = byParent.get(stat.ppid);
    if (siblings === undefined) byParent.set(stat.ppid, [stat.pid]);
    else siblings.push(stat.pid);
  }
  const found: number[] = [];
  const seen = new Set<number>(roots);
  const queue = [...roots];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of byParent.get(next) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The value of `name` in the process's initial environment (/proc/PID/environ), if readable. */
export function readEnvironVariable(pid: number, name: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const prefix = `${name}=`;
  for (const entry of text.split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  return undefined;
}
