// SuccessAction=, FailureAction=, StartLimitAction= (systemd.unit(5); systemd 252 emergency-action.c):
// what the manager logs and which exit code it asks for. In a container every action ends the manager.
import type { EmergencyAction } from '../unit/model.js';

/** log_and_status()'s verbs: "Exiting: unit app.service succeeded". */
const VERB: Readonly<Record<Exclude<EmergencyAction, 'none'>, string>> = {
  exit: 'Exiting',
  'exit-force': 'Exiting immediately',
  reboot: 'Rebooting',
  'reboot-force': 'Forcibly rebooting',
  'reboot-immediate': 'Rebooting immediately',
  poweroff: 'Powering off',
  'poweroff-force': 'Forcibly powering off',
  'poweroff-immediate': 'Powering off immediately',
  halt: 'Halting',
  'halt-force': 'Forcibly halting',
  'halt-immediate': 'Halting immediately',
  'soft-reboot': 'Soft-rebooting',
  'soft-reboot-force': 'Forcibly soft-rebooting',
  kexec: 'Rebooting via kexec',
  'kexec-force': 'Forcibly rebooting via kexec',
};

/** The main process's end, as unit_exit_status() reads it (ExecMainPID, ExecMainCode, ExecMainStatus). */
export interface MainExit {
  readonly pid: number;
  readonly exitWallMs: number;
  /** CLD_EXITED=1, CLD_KILLED=2, CLD_DUMPED=3. */
  readonly code: number;
  readonly status: number;
}

export interface EmergencyDecision {
  readonly message: string;
  /** Without the WARN flag (Success/FailureAction=) systemd logs it at debug level. */
  readonly level: 'warning' | 'debug';
  /** The manager's exit code, for the exit actions; undefined leaves it as it is. */
  readonly exitCode: number | undefined;
  /** -force/-immediate: end now, without stopping units in order. */
  readonly force: boolean;
}

/**
 * unit_success_action_exit_status()/unit_failure_action_exit_status(): the configured status, else the
 * main process's exit status, 255 when it was killed by a signal, nothing when there was no main process.
 */
export function actionExitStatus(configured: number | undefined, main: MainExit | undefined): number | undefined {
  if (configured !== undefined) return configured;
  if (main === undefined || main.pid <= 0 || main.exitWallMs === 0) return undefined;
  return main.code === 1 ? main.status : 255;
}

export function decideEmergencyAction(action: Exclude<EmergencyAction, 'none'>, reason: string, warn: boolean, exitStatus: number | undefined): EmergencyDecision {
  return {
    message: `${VERB[action]}: ${reason}`,
    level: warn ? 'warning' : 'debug',
    exitCode: action === 'exit' || action === 'exit-force' ? exitStatus : undefined,
    force: action.endsWith('-force') || action.endsWith('-immediate'),
  };
}
