// Node's (code, signal) exit report → waitpid(2)'s exited/killed/dumped (systemd's CLD_EXITED/CLD_KILLED/CLD_DUMPED).
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { WaitStatus } from './native.js';

// signal(7): signals whose default action is "Core".
const CORE_SIGNALS = new Set(['SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGXCPU', 'SIGXFSZ', 'SIGSYS']);

let coreDumpsEnabled: boolean | undefined;

/**
 * libuv does not report WCOREDUMP. A core is written when the signal's default action is "Core" and
 * core(5) allows it: a piped core_pattern (systemd-coredump, apport) dumps whatever RLIMIT_CORE says,
 * a file pattern needs a non-zero RLIMIT_CORE (inherited from us: the helper does not change it).
 */
function coreDumpsAllowed(): boolean {
  if (coreDumpsEnabled !== undefined) return coreDumpsEnabled;
  try {
    const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max core file size\s+(\S+)/m.exec(limits)?.[1] ?? '0';
    coreDumpsEnabled = pattern.startsWith('|') ? soft !== '1' : soft !== '0';
  } catch {
    coreDumpsEnabled = false;
  }
  return coreDumpsEnabled;
}

/** The wait status of a child Node reaped, from its 'exit' event. */
export function waitStatusOf(pid: number, code: number | null, signal: NodeJS.Signals | null): WaitStatus {
  if (signal !== null) {
    const number = constants.signals[signal] ?? 0;
    return { pid, code: CORE_SIGNALS.has(signal) && coreDumpsAllowed() ? 'dumped' : 'killed', status: number };
  }
  return { pid, code: 'exited', status: code ?? 0 };
}
