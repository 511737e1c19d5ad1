// Deliver KillSignal=/FinalKillSignal= to a unit's processes by KillMode= (systemd.kill(5); systemd's unit_kill_context()).
import { constants } from 'node:os';
import type { KillMode } from '../unit/model.js';

/** Why processes are signalled: 'terminate' (KillSignal=, RestartKillSignal=), 'kill' (FinalKillSignal=,
 *  SIGKILL after a timeout), 'abort' (WatchdogSignal=, TimeoutStopFailureMode=abort). Only 'kill' reaches
 *  every process under KillMode=mixed, and only 'terminate' is followed by SendSIGHUP=. */
export type KillOperation = 'terminate' | 'kill' | 'abort';

export interface KillRequest {
  readonly mode: KillMode;
  readonly operation: KillOperation;
  readonly signal: number;
  readonly mainPid?: number | undefined;
  readonly controlPid?: number | undefined;
  /** The unit's processes (unit-processes.ts), asked again until no new one appears,
   *  since processes may fork while being killed (cg_kill_recursive() loops the same way). */
  readonly unitPids: () => readonly number[];
  readonly sendSIGHUP?: boolean;
}

export interface KillOutcome {
  /** Every pid a signal was delivered to. */
  readonly signalled: readonly number[];
  /** Errors other than ESRCH (a process already gone is not an error). */
  readonly errors: readonly { readonly pid: number; readonly code: string }[];
}

const SIGKILL = constants.signals.SIGKILL;
const SIGCONT = constants.signals.SIGCONT;
const SIGHUP = constants.signals.SIGHUP;
/** Enough rounds for a fork bomb to lose; systemd loops until a round finds nothing new. */
const MAX_ROUNDS = 32;

/** Sends signals as systemd.kill(5) describes; never throws for vanished processes. */
export function killUnitProcesses(request: KillRequest): KillOutcome {
  const signalled: number[] = [];
  const errors: { pid: number; code: string }[] = [];
  if (request.mode === 'none') return { signalled, errors };
  const sighup = request.sendSIGHUP === true && request.operation === 'terminate' && request.signal !== SIGHUP;
  const deliver = (pid: number, signal: number): boolean => {
    const code = sendSignal(pid, signal);
    if (code === undefined) return true;
    if (code !== 'ESRCH') errors.push({ pid, code });
    return false;
  };
  // Never init nor the manager itself, whatever a PID file or MAINPID= claimed.
  const direct = [request.mainPid, request.controlPid].filter((pid): pid is number => pid !== undefined && pid > 1 && pid !== process.pid);
  // 1. main and control process, in every mode but none.
  for (const pid of direct) {
    if (!deliver(pid, request.signal)) continue;
    signalled.push(pid);
    // Stopped processes only act on the signal once continued (kill_and_sigcont()).
    if (request.signal !== SIGKILL && request.signal !== SIGCONT) deliver(pid, SIGCONT);
    if (sighup) deliver(pid, SIGHUP);
  }
  // 2. everyone else: control-group always, mixed only for the final SIGKILL.
  const wholeGroup = request.mode === 'control-group' || (request.mode === 'mixed' && request.operation === 'kill');
  if (!wholeGroup) return { signalled, errors };
  const done = new Set<number>(direct);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const fresh = request.unitPids().filter((pid) => pid > 1 && pid !== process.pid && !done.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      done.add(pid);
      if (!deliver(pid, request.signal)) continue;
      signalled.push(pid);
      if (request.signal !== SIGKILL && request.signal !== SIGCONT) deliver(pid, SIGCONT);
    }
    if (sighup) for (const pid of fresh) deliver(pid, SIGHUP);
  }
  return { signalled, errors };
}

/** kill(2); returns the errno code, or undefined on success. */
export function sendSignal(pid: number, signal: number): string | undefined {
  try {
    process.kill(pid, signal);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EINVAL';
  }
}
