// Reap adopted zombies: children Node did not spawn (orphans re-parented to us as PID 1 or child subreaper), on SIGCHLD (wait(2), prctl(2) PR_SET_CHILD_SUBREAPER).
import type { Native, WaitStatus } from './native.js';
import { childrenOf } from './process-tree.js';
import { recordNodeSpawns, spawnedPids } from './spawn.js';
import { reapSpawnedChild } from './child-spawn.js';

export interface Reaper {
  /** Reaps every adopted zombie now (also done on each SIGCHLD); returns what it reaped. */
  reapNow(): WaitStatus[];
  stop(): void;
}

export interface ReaperOptions {
  readonly native: Pick<Native, 'waitpidNoHang' | 'peekZombie'>;
  /** Pids that are not ours to reap besides those Node spawned; default: spawn.ts's registry only. */
  readonly exclude?: ReadonlySet<number>;
}

/**
 * Listens for SIGCHLD (an event, no polling) and reaps, one pid at a time with waitpid(pid, WNOHANG),
 * every zombie child that Node did not spawn. Never waitpid(-1): that would steal libuv's statuses.
 * A zombie is found with waitid(WNOWAIT), which leaves it in place, so each reaped orphan costs two
 * system calls; only when that zombie is one of libuv's (it reaps its own in the same loop turn) are
 * the other children tried one by one. `onExit` hears each adopted process's exit.
 */
export function startReaper(onExit: (exit: WaitStatus) => void, options: ReaperOptions): Reaper {
  const ours = (pid: number): boolean => !spawnedPids.has(pid) && options.exclude?.has(pid) !== true;
  const reapNow = (): WaitStatus[] => {
    const reaped: WaitStatus[] = [];
    let blocked = false;
    for (let pid = options.native.peekZombie(); pid > 0; pid = options.native.peekZombie()) {
      // An exec helper's exit (the spawn's own pidfd event may come later in this loop turn).
      if (reapSpawnedChild(pid)) continue;
      if (!ours(pid)) {
        blocked = true;
        break;
      }
      const status = waitOne(pid, options.native);
      if (status === null) break;
      reaped.push(status);
    }
    if (blocked) {
      // waitpid(WNOHANG) on a live child returns at once and reaps nothing.
      for (const pid of childrenOf(process.pid)) {
        if (!ours(pid)) continue;
        const status = waitOne(pid, options.native);
        if (status !== null) reaped.push(status);
      }
    }
    for (const status of reaped) onExit(status);
    return reaped;
  };
  const onSigchld = (): void => void reapNow();
  // A reaper must never take a child Node spawned: record Node's spawns while it runs.
  const stopRecording = recordNodeSpawns(childrenOf(process.pid));
  process.on('SIGCHLD', onSigchld);
  // Orphans that died before we listened sent their SIGCHLD already.
  reapNow();
  return {
    reapNow,
    stop: () => {
      process.off('SIGCHLD', onSigchld);
      stopRecording();
    },
  };
}

function waitOne(pid: number, native: Pick<Native, 'waitpidNoHang'>): WaitStatus | null {
  try {
    return native.waitpidNoHang(pid);
  } catch {
    // ECHILD: reaped meanwhile by someone else (a synchronous spawn's own wait).
    return null;
  }
}
