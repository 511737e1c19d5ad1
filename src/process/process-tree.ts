// Process trees from /proc (proc(5)): children, descendants and the processes of a unit (systemd.kill(5) "control group").
//
// Without cgroups, a unit's processes are found by this rule, applied on every exit event and at stop time:
//   1. every live descendant of the unit's roots (its main and control processes);
//   2. every live descendant of the supervisor whose environment (/proc/PID/environ) carries the unit's
//      INVOCATION_ID — systemd sets it for every service process and children inherit it, so a process
//      that double-forked away (and, the supervisor being a child subreaper, was re-parented to it) or
//      changed its process group or session is still attributed to its unit;
//   3. every process remembered from an earlier call that is still alive with the same start time
//      (a pid-reuse guard), which catches orphans that also cleared their environment.
// Zombies are dead: they are never counted (the reaper collects them).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

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

/** A process named so that a recycled pid is not mistaken for it. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: number;
}

/** Reads /proc/PID/stat; undefined if the process is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
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
  const children: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch {
      continue; // The thread ended meanwhile.
    }
    for (const word of text.split(' ')) if (word.trim() !== '') children.push(Number(word));
  }
  return children;
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

export interface UnitProcessQuery {
  /** The unit's INVOCATION_ID (32 hex digits), as put into its processes' environment. */
  readonly invocationId: string | undefined;
  /** Main and control pids, when known. */
  readonly roots: readonly number[];
  /** The result of the previous call for this unit. */
  readonly remembered?: readonly ProcessIdentity[];
  /** Whose descendants are searched for the INVOCATION_ID marker; default: this process. */
  readonly supervisorPid?: number;
}

/** The live processes of a unit, by the rule in this file's header (one scan of /proc). */
/**
 * A process keeps the INVOCATION_ID it was started with, so a found one is read once per process (pid and
 * start time), not once per query: a supervisor with many units asks often. Absence is not cached: a child
 * between fork() and execve() still shows its parent's environment.
 */
const invocationIds = new Map<number, { readonly startTime: number; readonly id: string }>();

function invocationIdOf(pid: number, snapshot: ReadonlyMap<number, ProcStat>): string | undefined {
  const startTime = snapshot.get(pid)?.startTime;
  const cached = invocationIds.get(pid);
  if (cached !== undefined && cached.startTime === startTime) return cached.id;
  const id = readEnvironVariable(pid, 'INVOCATION_ID');
  if (startTime !== undefined && id !== undefined) invocationIds.set(pid, { startTime, id });
  if (invocationIds.size > 4 * snapshot.size + 64) for (const known of invocationIds.keys()) if (!snapshot.has(known)) invocationIds.delete(known);
  return id;
}

export function processesOfUnit(query: UnitProcessQuery): ProcessIdentity[] {
  const supervisorPid = query.supervisorPid ?? process.pid;
  const snapshot = snapshotParents();
  const result = new Map<number, ProcessIdentity>();
  const add = (pid: number, expectedStart?: number): void => {
    if (pid === supervisorPid || result.has(pid)) return;
    const stat = snapshot.get(pid);
    if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return;
    if (expectedStart !== undefined && stat.startTime !== expectedStart) return;
    result.set(pid, { pid, startTime: stat.startTime });
  };
  const roots = query.roots.filter((pid) => pid > 0);
  for (const pid of [...roots, ...descendantsIn(snapshot, roots)]) add(pid);
  if (query.invocationId !== undefined) {
    for (const pid of descendantsIn(snapshot, [supervisorPid])) {
      if (!result.has(pid) && invocationIdOf(pid, snapshot) === query.invocationId) add(pid);
    }
  }
  for (const known of query.remembered ?? []) add(known.pid, known.startTime);
  // Descendants of remembered orphans belong to the unit as well.
  for (const pid of descendantsIn(snapshot, [...result.keys()])) add(pid);
  return [...result.values()];
}

/** One unit invocation's processes, remembered between calls (rule 3): refresh on every exit event and at stop time. */
export class UnitProcessTracker {
  private remembered: readonly ProcessIdentity[] = [];

  constructor(
    private readonly invocationId: string | undefined,
    private readonly supervisorPid: number = process.pid,
  ) {}

  /** Re-applies the rule with the current main/control pids; returns the live pids. */
  refresh(roots: readonly number[]): number[] {
    this.remembered = processesOfUnit({ invocationId: this.invocationId, roots, remembered: this.remembered, supervisorPid: this.supervisorPid });
    return this.remembered.map((identity) => identity.pid);
  }
}
