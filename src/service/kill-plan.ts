// KillMode=, KillSignal=, RestartKillSignal=, FinalKillSignal=, WatchdogSignal=, SendSIGHUP= applied as systemd's unit_kill_context() (systemd.kill(5)).
import type { Step } from './service-runtime.js';

const SIGHUP = 1;

export type KillingState = 'stop-watchdog' | 'stop-sigterm' | 'stop-sigkill' | 'final-watchdog' | 'final-sigterm' | 'final-sigkill';

/** systemd's KillOperation. */
export type KillOperation = 'terminate' | 'restart' | 'kill' | 'watchdog';

/** state_to_kill_operation(). */
export function killOperationOf(state: KillingState, restartJobPending: boolean): KillOperation {
  switch (state) {
    case 'stop-watchdog':
    case 'final-watchdog':
      return 'watchdog';
    case 'stop-sigterm':
      return restartJobPending ? 'restart' : 'terminate';
    case 'final-sigterm':
      return 'terminate';
    case 'stop-sigkill':
    case 'final-sigkill':
      return 'kill';
  }
}

/**
 * unit_kill_context(): emits the kill and answers whether there is anything to wait for.
 * Main and control processes are always signalled (unless KillMode=none); the rest of the
 * unit only with KillMode=control-group, or mixed when it comes to SIGKILL.
 */
export function killFor(m: Step, op: KillOperation): boolean {
  const k = m.cfg.kill;
  if (k.killMode === 'none') return false;
  const signal =
    op === 'terminate' ? k.killSignal : op === 'restart' ? (k.restartKillSignal ?? k.killSignal) : op === 'kill' ? k.finalKillSignal : k.watchdogSignal;
  const everyone = k.killMode === 'control-group' || (k.killMode === 'mixed' && op === 'kill');
  const { mainPid, controlPid } = m.s;
  const others = everyone && m.cgroupGood();
  if (mainPid === undefined && controlPid === undefined && !others) return false;
  m.effects.push({
    kind: 'kill',
    whom: everyone ? 'all' : 'main-and-control',
    signal,
    mainPid,
    controlPid,
    sendSIGHUP: k.sendSIGHUP && op === 'terminate' && signal !== SIGHUP,
    // log_kill() only for the noteworthy operations.
    logKills: op === 'kill' || op === 'watchdog',
  });
  return true;
}
