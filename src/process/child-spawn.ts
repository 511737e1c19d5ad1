// One child started with posix_spawn(3) through the addon instead of child_process (a fork): its pipes as
// PipeReaders, its exit from a pidfd (one event per child, no scan of the other children).
import { closeSync, fstatSync } from 'node:fs';
import { loadNative, type WaitStatus } from './native.js';
import { PipeReader } from './pipe-reader.js';

/** What the child's fd i is: a manager fd, /dev/null, the manager's own fd i, or a pipe read by the manager. */
export type ChildSlot = number | 'ignore' | 'inherit' | 'pipe';

export interface SpawnedChild {
  readonly pid: number;
  /** The read end of each 'pipe' slot, null for the others. */
  readonly pipes: readonly (PipeReader | null)[];
  /** Resolves once the child exited and was reaped. */
  readonly exited: Promise<WaitStatus>;
  /** What /proc/PID/fd/N of the child reads for its standard fds 0-2 that are pipes or sockets ("pipe:[INODE]"). */
  readonly stdioNames: readonly (string | undefined)[];
}

/** Every pid spawned here or by Node (spawn.ts records those) and not yet reaped: not adopted, so the reaper
 *  leaves Node's to libuv and hands these to reapSpawnedChild(). */
export const spawnedPids: ReadonlySet<number> = new Set<number>();
/** Children spawned here and not yet reaped, with what their exit settles. */
const unreaped = new Map<number, (status: WaitStatus) => void>();
/** Those without a pidfd (pidfd_open() refused): tried on each SIGCHLD instead. */
const withoutPidfd = new Set<number>();

const SLOT_NULL = -1;
const SLOT_PIPE = -2;

/** Starts `path` with `args` (argv[0] first) and exactly `env`, in a new session, in "/"; throws an errno Error. */
export function spawnChild(path: string, args: readonly string[], env: Readonly<Record<string, string>>, slots: readonly ChildSlot[]): SpawnedChild {
  const native = loadNative();
  const numbers = slots.map((slot, fd) => (slot === 'ignore' ? SLOT_NULL : slot === 'pipe' ? SLOT_PIPE : slot === 'inherit' ? fd : slot));
  const child = native.spawnProcess(path, args, Object.entries(env).map(([k, v]) => `${k}=${v}`), numbers);
  const { pid, pidfd } = child;
  (spawnedPids as Set<number>).add(pid);
  const exited = new Promise<WaitStatus>((resolve) => unreaped.set(pid, resolve));
  if (pidfd >= 0) {
    const watch = native.watchReadable(pidfd, () => {
      // A pidfd is readable once the process exited; the reaper may have taken it already (also fine).
      if (!unreaped.has(pid) || reapSpawnedChild(pid)) {
        watch.close();
        closeSync(pidfd);
      } else watch.start();
    });
    watch.start();
  } else {
    if (withoutPidfd.size === 0) process.on('SIGCHLD', reapWithoutPidfd);
    withoutPidfd.add(pid);
  }
  const stdioNames = numbers.slice(0, 3).map((slot, fd) => kernelName(slot === SLOT_PIPE ? (child.pipes[fd] ?? -1) : slot));
  // Standard output and error are lines; other pipes (the exec helper's reports) are read as they come.
  const pipes = child.pipes.map((fd, at) => (fd < 0 ? null : new PipeReader(fd, at === 1 || at === 2)));
  return { pid, pipes, exited, stdioNames };
}

/**
 * Reaps `pid` if it is one of these children and has exited, and settles its `exited`; true when reaped.
 * The reaper of adopted processes hands them here, so that whoever sees the zombie first reaps it.
 */
export function reapSpawnedChild(pid: number): boolean {
  const settle = unreaped.get(pid);
  if (settle === undefined) return false;
  let status: WaitStatus | null;
  try {
    status = loadNative().waitpidNoHang(pid);
  } catch {
    // ECHILD: something else waited for it; its status is lost, which a plain exit stands for.
    status = { pid, code: 'exited', status: 0 };
  }
  if (status === null) return false;
  unreaped.delete(pid);
  (spawnedPids as Set<number>).delete(pid);
  if (withoutPidfd.delete(pid) && withoutPidfd.size === 0) process.off('SIGCHLD', reapWithoutPidfd);
  settle(status);
  return true;
}

/** A pipe's or socket's name as /proc's fd links show it, from the manager's own end (no /proc read). */
function kernelName(fd: number): string | undefined {
  if (fd < 0) return undefined;
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() ? `pipe:[${stat.ino}]` : stat.isSocket() ? `socket:[${stat.ino}]` : undefined;
  } catch {
    return undefined;
  }
}

function reapWithoutPidfd(): void {
  for (const pid of [...withoutPidfd]) reapSpawnedChild(pid);
}
