// A unit's processes, kept from spawn, exit and reap events (systemd.kill(5)'s "control group").
//
// The manager is PID 1 or a child subreaper, so every process a unit starts stays in the manager's
// subtree: it is a descendant of a live process the manager knows (a main or control process it spawned,
// or an orphan it adopted), or it is re-parented to the manager itself. A unit is therefore empty once
// its known direct children are gone and no new orphan of it has appeared among the manager's children;
// neither needs a /proc scan. Orphans are attributed once each, when first seen:
//   1. cgroup mode: the unit's cgroup (exact, whatever the process did);
//   2. its ancestry, when an earlier walk saw it below one of the unit's processes;
//   3. the INVOCATION_ID in its environment (inherited from the unit's processes);
//   4. its standard output or error: the unit's journal pipe, inherited even by `env -i setsid -f`.
// The whole tree of a unit (to signal it, or for status) is walked down from those roots, or read from the
// unit's cgroup.procs: the cost is the unit's own process count, never the host's.
import { readlinkSync } from 'node:fs';
import { cgroupOf, cgroupPids, cgroupPopulated, killCgroup, removeCgroup, unitCgroup, watchCgroupEvents, type CgroupEventsWatch, type CgroupTree } from './cgroup.js';
import { childrenOf, readEnvironVariable, readProcStat } from './process-tree.js';
import { spawnedPids } from './spawn.js';

const NO_PIDS: ReadonlySet<number> = new Set();

export type TrackingMode = 'cgroup' | 'process-tree';

/** Who owns which pid, for the whole process (several managers share one reaper's orphans). */
const owners = new Map<number, { readonly unit: UnitProcesses; readonly startTime: number | undefined }>();
const byInvocation = new Map<string, UnitProcesses>();
const byPipe = new Map<string, UnitProcesses>();
const byCgroup = new Map<string, UnitProcesses>();
/** Adopted children no unit claimed; looked at once each (until they are reaped). */
const unclaimed = new Set<number>();
/** The manager's children were read since the last exit event in this loop turn. */
let childrenFresh = false;

function invalidate(): void {
  childrenFresh = false;
}

/** The unit an exited or reaped pid belonged to, forgetting it; undefined if it was no unit's. */
export function ownerOfExited(pid: number): UnitProcesses | undefined {
  invalidate();
  unclaimed.delete(pid);
  const owner = owners.get(pid)?.unit;
  owner?.exited(pid);
  return owner;
}

/** The unit a live process belongs to (a notify datagram's sender, a PID file's pid): known, its cgroup,
 *  its INVOCATION_ID, or its nearest known ancestor (O(depth)). */
export function ownerOf(pid: number): UnitProcesses | undefined {
  adoptOrphans();
  const known = owners.get(pid)?.unit;
  if (known !== undefined) return known;
  const direct = claimant(pid);
  if (direct !== undefined) return direct;
  for (let current = readProcStat(pid)?.ppid, depth = 0; current !== undefined && current > 1 && current !== process.pid && depth < 64; depth++) {
    const owner = owners.get(current)?.unit;
    if (owner !== undefined) return owner;
    current = readProcStat(current)?.ppid;
  }
  return undefined;
}

/** Adopted children of this process that no unit claims (killed when the last manager stops). */
export function unclaimedOrphans(): number[] {
  adoptOrphans();
  return [...unclaimed];
}

/** Reads the manager's children once per loop turn (and after exits; always when `fresh`: a kill round
 *  must see what its last signals re-parented) and attributes the new orphans. */
function adoptOrphans(fresh = false): void {
  if (childrenFresh && !fresh) return;
  childrenFresh = true;
  setImmediate(invalidate);
  for (const pid of childrenOf(process.pid)) {
    if (spawnedPids.has(pid) || unclaimed.has(pid)) continue;
    const known = owners.get(pid);
    if (known?.unit.hasRoot(pid) === true) continue;
    const stat = readProcStat(pid);
    if (stat === undefined || stat.state === 'Z') continue;
    const owner = known !== undefined && known.startTime === stat.startTime ? known.unit : claimant(pid);
    if (owner === undefined) unclaimed.add(pid);
    else owner.adopt(pid, stat.startTime);
  }
}

function claimant(pid: number): UnitProcesses | undefined {
  const cgroup = byCgroup.size > 0 ? cgroupOf(pid) : undefined;
  if (cgroup !== undefined && byCgroup.has(cgroup)) return byCgroup.get(cgroup);
  const invocation = readEnvironVariable(pid, 'INVOCATION_ID');
  if (invocation !== undefined && byInvocation.has(invocation)) return byInvocation.get(invocation);
  for (const fd of [1, 2, 0]) {
    const unit = byPipe.get(pipeOf(pid, fd) ?? '');
    if (unit !== undefined) return unit;
  }
  return undefined;
}

/** The pipe or socket (Node's stdio "pipe" is a socket pair) on a process's descriptor, if it is one. */
function pipeOf(pid: number | 'self', fd: number): string | undefined {
  try {
    const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    return target.startsWith('pipe:') || target.startsWith('socket:') ? target : undefined;
  } catch {
    return undefined;
  }
}

/** The manager's own output, which units with StandardOutput=inherit or tty share: it marks no unit. */
let ownOutput: readonly (string | undefined)[] | undefined;
const isOwnOutput = (pipe: string): boolean => (ownOutput ??= [pipeOf('self', 1), pipeOf('self', 2)]).includes(pipe);

/** One unit's processes across its activations. */
export class UnitProcesses {
  private invocationId = '';
  /** Live direct children of the manager that are the unit's: spawned main/control processes, adopted orphans. */
  private readonly roots = new Set<number>();
  /** Other processes of the unit found by the last walk (remembered for attribution by descent); replaced, never changed. */
  private seen: ReadonlySet<number> = NO_PIDS;
  private readonly pipes = new Set<string>();
  private cgroupDir: string | undefined;
  /** The cgroup was removed once the unit went inactive (it was empty); the next spawn makes it again. */
  private pruned = false;
  private cgroupWatch: { readonly dir: string; readonly watcher: CgroupEventsWatch } | undefined;
  /**
   * cgroup.events "populated" as last read, kept until something may have changed it: an exit of the unit's
   * own, a spawn into the cgroup, or the change event the kernel sends for every change of the file.
   */
  private populated: boolean | undefined;
  private onMaybeEmpty: () => void = () => undefined;

  constructor(
    private readonly unit: string,
    private readonly cgroups: CgroupTree | undefined,
  ) {}

  get mode(): TrackingMode {
    return this.cgroups === undefined ? 'process-tree' : 'cgroup';
  }

  /** status's "CGroup:" (cgroup mode only). */
  get controlGroup(): string | undefined {
    return this.cgroups === undefined ? undefined : `${this.cgroups.name}/${this.unit}`;
  }

  /** status's account of the mode. */
  describe(): { readonly mode: 'cgroup'; readonly controlGroup: string } | { readonly mode: 'process-tree' } {
    const controlGroup = this.controlGroup;
    return controlGroup === undefined ? { mode: 'process-tree' } : { mode: 'cgroup', controlGroup };
  }

  /** A new activation: its INVOCATION_ID marks the processes it starts. */
  begin(invocationId: string): void {
    if (byInvocation.get(this.invocationId) === this) byInvocation.delete(this.invocationId);
    this.invocationId = invocationId;
    if (invocationId !== '') byInvocation.set(invocationId, this);
    for (const pipe of this.pipes) if (byPipe.get(pipe) === this) byPipe.delete(pipe);
    this.pipes.clear();
  }

  /** The cgroup directory a new process of the unit joins (made now), or undefined in process-tree mode. */
  cgroupForSpawn(): string | undefined {
    if (this.cgroups === undefined) return undefined;
    // Made again if it was removed meanwhile (an empty cgroup may be, by whoever cleans up).
    this.cgroupDir = unitCgroup(this.cgroups, this.unit) ?? this.cgroupDir;
    this.pruned = false;
    if (this.cgroupDir !== undefined && this.controlGroup !== undefined) byCgroup.set(this.controlGroup, this);
    if (this.cgroupDir !== undefined && this.cgroupWatch?.dir !== this.cgroupDir) this.watchCgroup(this.cgroupDir);
    this.populated = undefined;
    return this.cgroupDir;
  }

  /** `listener` runs whenever the unit may have become empty without an exit event of its own to say so. */
  onPossiblyEmpty(listener: () => void): void {
    this.onMaybeEmpty = listener;
  }

  private unwatchCgroup(): void {
    this.cgroupWatch?.watcher.close();
    this.cgroupWatch = undefined;
  }

  private watchCgroup(dir: string): void {
    this.unwatchCgroup();
    const watcher = watchCgroupEvents(dir, (gone) => {
      this.populated = undefined;
      // Removed by someone else (it was empty): the next spawn makes it again and watches the new file.
      if (gone) this.unwatchCgroup();
      this.onMaybeEmpty();
    });
    this.cgroupWatch = watcher === undefined ? undefined : { dir, watcher };
  }

  /** A process the manager spawned for the unit; its output pipes (`outputNames`, as /proc/PID/fd names them) mark its descendants. */
  spawned(pid: number, outputNames: readonly string[]): void {
    this.adopt(pid, undefined);
    for (const pipe of outputNames) {
      if (this.pipes.has(pipe) || isOwnOutput(pipe)) continue;
      this.pipes.add(pipe);
      byPipe.set(pipe, this);
    }
  }

  adopt(pid: number, startTime: number | undefined): void {
    this.roots.add(pid);
    owners.set(pid, { unit: this, startTime });
  }

  hasRoot(pid: number): boolean {
    return this.roots.has(pid);
  }

  /** A process of the unit exited (its exit event or its reaping). */
  exited(pid: number): void {
    invalidate();
    this.populated = undefined;
    this.roots.delete(pid);
    if (owners.get(pid)?.unit === this) owners.delete(pid);
  }

  /** Whether no process of the unit is left: cgroup.events in cgroup mode, else the roots after adopting new orphans. */
  isEmpty(): boolean {
    if (this.roots.size > 0) return false;
    if (this.pruned) return true;
    if (this.cgroupDir !== undefined) return !this.cgroupPopulated(this.cgroupDir);
    adoptOrphans();
    return this.roots.size === 0;
  }

  /**
   * isEmpty() for a unit whose stop job runs: it goes inactive once empty, and its empty cgroup then goes
   * (prune()). rmdir(2) removes a cgroup only when nothing is in it, so trying it first answers what
   * cgroup.events would, with the removal due anyway; a busy one is read as before. A later command of
   * the unit (ExecStopPost=) makes the cgroup again.
   */
  isEmptyStopping(): boolean {
    if (this.roots.size === 0 && this.populated === undefined) this.removeEmptyCgroup();
    return this.isEmpty();
  }

  /** Read again only after a change could have happened (and always where the file is not watched). */
  private cgroupPopulated(dir: string): boolean {
    if (this.populated !== undefined && this.cgroupWatch?.dir === dir) return this.populated;
    this.populated = cgroupPopulated(dir);
    return this.populated;
  }

  /** Every live process of the unit, parents before children. */
  pids(): number[] {
    // cgroup.procs already holds the unit's orphans: the manager's children are read for descent only.
    if (this.cgroupDir === undefined) adoptOrphans(true);
    const found = this.cgroupDir !== undefined ? this.readCgroup() : this.walk();
    const seen = new Set(found.filter((pid) => !this.roots.has(pid)));
    for (const pid of this.seen) if (!seen.has(pid) && !this.roots.has(pid) && owners.get(pid)?.unit === this) owners.delete(pid);
    this.seen = seen;
    return found;
  }

  private readCgroup(): number[] {
    const inGroup = this.pruned ? [] : cgroupPids(this.cgroupDir ?? '');
    for (const pid of inGroup) if (!this.roots.has(pid)) owners.set(pid, { unit: this, startTime: undefined });
    // A process that failed before joining (an exec step) is the unit's until it is reaped.
    return [...new Set([...this.roots, ...inGroup])];
  }

  private walk(): number[] {
    const found: number[] = [];
    const queue = [...this.roots];
    for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
      const stat = readProcStat(pid);
      if (stat === undefined) continue;
      // A dying multi-threaded process's leader is a zombie while its other threads still hold its children.
      queue.push(...childrenOf(pid));
      if (stat.state === 'Z' || stat.state === 'X') continue;
      found.push(pid);
      // Remembered with its start time: once orphaned, it is still the unit's (attribution by descent).
      if (!this.roots.has(pid)) owners.set(pid, { unit: this, startTime: stat.startTime });
    }
    return found;
  }

  /** Whether `pid` is one of the unit's processes. */
  owns(pid: number): boolean {
    return ownerOf(pid) === this;
  }

  /** SIGKILL to the whole cgroup at once (cgroup.kill); false where there is none. */
  killGroup(): boolean {
    return this.cgroupDir !== undefined && !this.pruned && this.cgroups?.canKill === true && killCgroup(this.cgroupDir);
  }

  /**
   * The unit went inactive (systemd's unit_prune_cgroup()): its cgroup, if empty, is removed with its watch,
   * so that no change event of it is left to hear; the next spawn makes it again. A populated one stays.
   */
  prune(): void {
    if (this.isEmpty()) this.removeEmptyCgroup();
  }

  /** rmdir(2) of the unit's cgroup, which fails unless it is empty; its watch goes with it. */
  private removeEmptyCgroup(): void {
    const dir = this.cgroupDir;
    if (dir === undefined || this.pruned || !removeCgroup(dir)) return;
    this.pruned = true;
    this.unwatchCgroup();
  }

  dispose(): void {
    this.begin('');
    this.unwatchCgroup();
    for (const pid of [...this.roots, ...this.seen]) if (owners.get(pid)?.unit === this) owners.delete(pid);
    if (this.cgroupDir !== undefined) {
      if (!this.pruned) removeCgroup(this.cgroupDir);
      if (this.controlGroup !== undefined) byCgroup.delete(this.controlGroup);
    }
  }
}
