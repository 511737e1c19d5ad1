// A test fixture for the Supervisor: boot, hand it to the test, shut down (also when the test failed),
// then fail when a process started during the test is still alive. Framework-neutral: it has the
// shape of vitest's `test.extend` fixtures and of node:test's `t.after` (see README).
import { descendantsOf, readProcStat } from '../process/process-tree.js';
import { Supervisor, type BootOptions } from './supervisor.js';

export class LeakedProcessError extends Error {}

const describePid = (pid: number) => `${pid} (${readProcStat(pid)?.comm ?? '?'})`;

/**
 * Boots a Supervisor, runs `use(sv)`, then shuts it down and checks that every process that was started
 * meanwhile (by the units or by the test) is gone; those still alive are killed and reported by
 * rejecting with LeakedProcessError, so that one leak fails its own test, not the next one.
 */
export async function withSupervisor(options: BootOptions, use: (sv: Supervisor) => Promise<void>): Promise<void> {
  const before = new Set(descendantsOf(process.pid));
  const sv = await Supervisor.boot(options);
  try {
    await use(sv);
  } finally {
    await sv.shutdown();
  }
  const leaked = descendantsOf(process.pid).filter((pid) => !before.has(pid) && readProcStat(pid)?.state !== 'Z');
  if (leaked.length === 0) return;
  for (const pid of leaked) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  throw new LeakedProcessError(`Processes outlived the test (now killed): ${leaked.map(describePid).join(', ')}`);
}
