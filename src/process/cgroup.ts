// One cgroup v2 directory per unit below a subtree the supervisor may write to (cgroups(7), "Control
// Group v2" in the kernel's admin guide; systemd's cg_create(), cg_attach(), cg_kill_kernel_sigkill()).
import { accessSync, closeSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readKernelFile } from './kernel-file.js';
import { loadNative, type FdWatch } from './native.js';
import { pidExists } from './process-tree.js';
import { spawnChild } from './child-spawn.js';

/** The manager's own cgroup subtree; a unit's directory is named after the unit, as systemd names it. */
export interface CgroupTree {
  /** Filesystem path of the manager's directory. */
  readonly dir: string;
  /** The same directory as the hierarchy names it (status's "CGroup:"). */
  readonly name: string;
  /** Whether cgroup.kill exists (Linux ≥ 5.14): SIGKILL to a whole unit at once, forks included. */
  readonly canKill: boolean;
}

let sequence = 0;

/** The cgroup v2 path of this process (the "0::" line of /proc/self/cgroup) and where that hierarchy is mounted. */
function ownCgroup(): { mount: string; path: string } | undefined {
  let own: string | undefined;
  let mountinfo: string;
  try {
    own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((line) => line.startsWith('0::'))?.slice(3);
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  if (own === undefined) return undefined;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (right?.split(' ')[0] !== 'cgroup2' || left === undefined) continue;
    const fields = left.split(' ');
    const root = fields[3] ?? '';
    const mountPoint = fields[4] ?? '';
    if (own === root || own.startsWith(root === '/' ? '/' : `${root}/`)) return { mount: join(mountPoint, own.slice(root.length)), path: own };
  }
  return undefined;
}

/** Whether this process may make cgroup v2 directories below its own (openCgroupTree proves it by joining one). */
export function cgroupDelegated(): boolean {
  const own = ownCgroup();
  if (own === undefined) return false;
  try {
    accessSync(join(own.mount, 'cgroup.procs'), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the manager's directory below this process's own cgroup and proves that a process can join it
 * (the exec helper does exactly that for every unit process); undefined where cgroup v2 is absent or
 * not delegated to us, and the caller tracks processes by descent instead.
 */
export async function openCgroupTree(helperPath: string): Promise<CgroupTree | undefined> {
  const own = ownCgroup();
  if (own === undefined) return undefined;
  // Named with the PID namespace too: a pid means something only within its own namespace.
  const namespace = pidNamespace();
  sweepStale(own.mount, namespace);
  const leaf = `unitvisor-${namespace}-${process.pid}-${++sequence}`;
  const dir = join(own.mount, leaf);
  try {
    accessSync(join(own.mount, 'cgroup.procs'), constants.W_OK);
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  const probe = join(dir, 'probe');
  let joined = false;
  try {
    mkdirSync(probe);
    const status = await spawnChild(helperPath, [helperPath, '--cgroup', probe, '--', '/bin/sh', 'sh', '-c', 'exit 0'], {}, ['ignore', 'ignore', 'ignore']).exited;
    joined = status.code === 'exited' && status.status === 0;
  } catch {
    joined = false;
  }
  removeCgroup(probe);
  if (!joined) {
    removeCgroup(dir);
    return undefined;
  }
  return { dir, name: join(own.path, leaf), canKill: existsSync(join(dir, 'cgroup.kill')) };
}

/** The inode of this process's PID namespace (/proc/self/ns/pid), or 0 if unreadable. */
function pidNamespace(): number {
  try {
    return Number(/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Empty directories of supervisors of this PID namespace that are gone (killed before they could remove them). */
function sweepStale(mount: string, namespace: number): void {
  let names: string[];
  try {
    names = readdirSync(mount);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^unitvisor-(\d+)-(\d+)-\d+$/.exec(name);
    if (match === null || Number(match[1]) !== namespace) continue;
    // A namespace's number is reused once it is gone: a killed container's PID 1 left "unitvisor-NS-1-1", which
    // names this very process. Before this process made a tree of its own, a folder with its pid is stale.
    const pid = Number(match[2]);
    if (pid === process.pid ? sequence > 0 : pidExists(pid)) continue;
    const dir = join(mount, name);
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeCgroup(join(dir, entry.name));
    } catch {
      continue; // Removed meanwhile by someone else.
    }
    removeCgroup(dir);
  }
}

/** The unit's directory, made when first needed; undefined if it cannot be made. */
export function unitCgroup(tree: CgroupTree, unit: string): string | undefined {
  const dir = join(tree.dir, unit);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  return dir;
}

// A unit's files are read at each stop and exit: `dir` is a path join() made already, joined again by text.

/** The pids in the cgroup (cgroup.procs); empty once it is gone. */
export function cgroupPids(dir: string): number[] {
  return loadNative().readPidList(`${dir}/cgroup.procs`) ?? [];
}

/** cgroup.events "populated": whether any live process is in the cgroup or below it. */
export function cgroupPopulated(dir: string): boolean {
  try {
    return /^populated 1$/m.test(readKernelFile(`${dir}/cgroup.events`));
  } catch {
    return false;
  }
}

/** inotify(7)'s event bits heard: the kernel's change of cgroup.events, its removal, and the watch's end. */
const IN_MODIFY = 0x2;
const IN_DELETE_SELF = 0x400;
const IN_IGNORED = 0x8000;
/** struct inotify_event: wd, mask, cookie and len (4 bytes each), then len bytes of name (none for a file watched). */
const EVENT_HEADER_BYTES = 16;

export interface CgroupEventsWatch {
  close(): void;
}

/** One inotify fd for every cgroup.events watched: opened with the first watch, closed with the last. */
interface CgroupEvents {
  readonly fd: number;
  readonly watch: FdWatch;
  readonly listeners: Map<number, (gone: boolean) => void>;
  open: boolean;
}

let events: CgroupEvents | undefined;
/** Events are read synchronously, so one buffer serves: 64 events of a file watched (a read returns whole events only). */
const eventBuffer = Buffer.allocUnsafe(64 * EVENT_HEADER_BYTES);

function openEvents(): CgroupEvents {
  const native = loadNative();
  const fd = native.inotifyOpen();
  const state: CgroupEvents = { fd, watch: native.watchReadable(fd, () => readEvents(state)), listeners: new Map(), open: true };
  // As fs.watch()'s persistent: false: a unit's cgroup keeps nothing alive.
  state.watch.unref();
  state.watch.start();
  return state;
}

function readEvents(state: CgroupEvents): void {
  const native = loadNative();
  for (let n = native.readPipe(state.fd, eventBuffer); n > 0 && state.open; n = native.readPipe(state.fd, eventBuffer)) {
    for (let at = 0; at + EVENT_HEADER_BYTES <= n && state.open; at += EVENT_HEADER_BYTES + eventBuffer.readUInt32LE(at + 12)) {
      const wd = eventBuffer.readInt32LE(at);
      const gone = (eventBuffer.readUInt32LE(at + 4) & (IN_DELETE_SELF | IN_IGNORED)) !== 0;
      const onChange = state.listeners.get(wd);
      if (onChange === undefined) continue;
      // The kernel ended the watch itself: nothing more will be heard of it.
      if (gone) state.listeners.delete(wd);
      onChange(gone);
    }
  }
  if (state.open) state.watch.start();
}

function closeIfUnused(state: CgroupEvents): void {
  if (!state.open || state.listeners.size > 0) return;
  state.open = false;
  state.watch.close();
  closeSync(state.fd);
  if (events === state) events = undefined;
}

/**
 * Calls `onChange` when cgroup.events changes (inotify, as systemd watches it): "populated 0" arrives as an
 * event even when the last process's exit reached nobody (it was not our child, or was reaped unattributed).
 * `gone`: the file went with its cgroup, and nothing more will be heard. undefined where it cannot be watched.
 */
export function watchCgroupEvents(dir: string, onChange: (gone: boolean) => void): CgroupEventsWatch | undefined {
  let state: CgroupEvents;
  try {
    state = events ??= openEvents();
  } catch {
    return undefined;
  }
  const native = loadNative();
  const wd = native.inotifyAddWatch(state.fd, `${dir}/cgroup.events`, IN_MODIFY | IN_DELETE_SELF);
  if (wd < 0) {
    closeIfUnused(state);
    return undefined;
  }
  state.listeners.set(wd, onChange);
  return {
    close() {
      if (state.listeners.get(wd) === onChange) {
        state.listeners.delete(wd);
        native.inotifyRmWatch(state.fd, wd);
      }
      closeIfUnused(state);
    },
  };
}

/** cgroup.kill: SIGKILL to every process in the cgroup, including those forking meanwhile. */
export function killCgroup(dir: string): boolean {
  try {
    writeFileSync(join(dir, 'cgroup.kill'), '1');
    return true;
  } catch {
    return false;
  }
}

/** The cgroup v2 path a process is in ("0::" of /proc/PID/cgroup), if readable. */
export function cgroupOf(pid: number): string | undefined {
  try {
    return readKernelFile(`/proc/${pid}/cgroup`).split('\n').find((line) => line.startsWith('0::'))?.slice(3);
  } catch {
    return undefined;
  }
}

/** rmdir(2) of an empty cgroup; a populated or missing one is left as it is. True when it was removed. */
export function removeCgroup(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch {
    // EBUSY: processes are still in it (or below it); ENOENT: gone already.
    return false;
  }
}
