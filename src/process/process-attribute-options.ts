// ProcessAttributes → the exec helper's options (systemd.exec(5) "Process Properties", "Scheduling",
// "Capabilities", "Security"; the helper applies them in systemd's order).
import type { CPUSchedulingPolicy, ExecContext, IOSchedulingClass } from '../unit/model.js';
import { RLIMITS, type RlimitValue } from '../unit/values/rlimit.js';
import { CAP_ALL } from '../unit/values/capability.js';

/** SCHED_OTHER 0, SCHED_FIFO 1, SCHED_RR 2, SCHED_BATCH 3, SCHED_IDLE 5 (sched.h). */
const POLICY_NUMBER: Readonly<Record<CPUSchedulingPolicy, number>> = { other: 0, fifo: 1, rr: 2, batch: 3, idle: 5 };
/** IOPRIO_CLASS_NONE 0, _RT 1, _BE 2, _IDLE 3 (linux/ioprio.h). */
const IO_CLASS_NUMBER: Readonly<Record<IOSchedulingClass, number>> = { none: 0, realtime: 1, 'best-effort': 2, idle: 3 };

const limitText = (v: RlimitValue): string => (v === 'infinity' ? 'infinity' : String(v));

/** StandardInput=/Output=/Error=tty go to TTYPath= when it is set (else the manager's own terminal). */
export const usesTtyPath = (exec: ExecContext): boolean => exec.ttyPath !== undefined;

/**
 * Options for everything the unit sets. `privileged` ("+", "!" prefixes) leaves out what systemd counts as
 * sandboxing: the capability sets, SecureBits= and NoNewPrivileges=.
 */
export function processAttributeOptions(exec: ExecContext, privileged: boolean): string[] {
  const args: string[] = [];
  if (exec.ignoreSIGPIPE) args.push('--ignore-sigpipe');
  if (exec.ttyPath !== undefined) {
    args.push('--tty-path', exec.ttyPath);
    if (exec.standardInput.kind === 'tty') args.push('--stdin-tty');
    if (exec.standardOutput.kind === 'tty') args.push('--stdout-tty');
    if ((exec.standardError ?? exec.standardOutput).kind === 'tty') args.push('--stderr-tty');
  }
  if (exec.ttyReset) args.push('--tty-reset');
  if (exec.ttyVHangup) args.push('--tty-vhangup');
  if (exec.ttyVTDisallocate) args.push('--tty-vt-disallocate');
  if (exec.oomScoreAdjust !== undefined) args.push('--oom-score-adjust', String(exec.oomScoreAdjust));
  if (exec.nice !== undefined) args.push('--nice', String(exec.nice));
  const cpu = exec.cpuScheduling;
  if (cpu !== undefined) args.push('--cpu-sched', `${POLICY_NUMBER[cpu.policy]}:${cpu.priority}:${cpu.resetOnFork ? 1 : 0}`);
  const io = exec.ioScheduling;
  if (io !== undefined) args.push('--ioprio', `${IO_CLASS_NUMBER[io.class]}:${io.class === 'idle' ? 0 : io.priority}`);
  for (const name of RLIMITS) {
    const limit = exec.limits[name];
    if (limit !== undefined) args.push('--rlimit', `${name}:${limitText(limit.soft)}:${limitText(limit.hard)}`);
  }
  if (exec.keyringMode !== 'inherit') args.push('--keyring-mode', exec.keyringMode);
  if (privileged) return args;
  if (exec.capabilityBoundingSet !== CAP_ALL) args.push('--bounding-set', exec.capabilityBoundingSet.toString(16));
  if (exec.ambientCapabilities !== 0n) args.push('--ambient-caps', exec.ambientCapabilities.toString(16));
  if (exec.secureBits !== 0) args.push('--secure-bits', String(exec.secureBits));
  if (exec.noNewPrivileges) args.push('--no-new-privileges');
  return args;
}
