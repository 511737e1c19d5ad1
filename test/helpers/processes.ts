// The no-leak check for system tests: no descendant (running or zombie) of the test process may outlive a test.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { descendantsOf, listPids, readEnvironVariable, readProcStat } from '../../src/process/process-tree.js';

/** Put into a spawned process's environment so that the check finds it even after it escaped our tree. */
export const OWNER_VARIABLE = 'UNITVISOR_TEST_OWNER';
export const ownerEnvironment = (): Record<string, string> => ({ [OWNER_VARIABLE]: String(process.pid) });

interface Survivor {
  readonly pid: number;
  readonly state: string;
  readonly cmdline: string;
}

function describe(pid: number): Survivor | undefined {
  const stat = readProcStat(pid);
  if (stat === undefined) return undefined;
  let cmdline = stat.comm;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() || stat.comm;
  } catch {
    // Gone meanwhile: keep comm.
  }
  return { pid, state: stat.state, cmdline };
}

/** Our descendants, plus processes anywhere that carry our OWNER_VARIABLE (orphans re-parented to init). */
export function survivingProcesses(): Survivor[] {
  const pids = new Set(descendantsOf(process.pid));
  for (const pid of listPids()) {
    if (pid !== process.pid && !pids.has(pid) && readEnvironVariable(pid, OWNER_VARIABLE) === String(process.pid)) pids.add(pid);
  }
  return [...pids].map(describe).filter((survivor): survivor is Survivor => survivor !== undefined);
}

/**
 * Fails if any process is left behind after a short grace period (a child that just exited is a zombie
 * until libuv reaps it). Survivors are SIGKILLed before failing, so that one leak does not fail the
 * next test too. Use as `afterEach(expectNoLeakedProcesses)`.
 */
export async function expectNoLeakedProcesses(): Promise<void> {
  try {
    await expect.poll(survivingProcesses, { timeout: 3000, interval: 25 }).toEqual([]);
  } finally {
    for (const survivor of survivingProcesses()) {
      try {
        process.kill(survivor.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
