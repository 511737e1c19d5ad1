// Restart= decision: the exit-cause × setting table of systemd.service(5), plus RestartPreventExitStatus=/RestartForceExitStatus=.
import type { ExitStatusSet, RestartMode } from '../unit/model.js';
import { exitStatusSetMatches, type ProcessExit } from './exit-cause.js';
import type { ServiceResult } from './service-state.js';

export const EXIT_CAUSES = ['clean', 'unclean-exit-code', 'unclean-signal', 'timeout', 'watchdog'] as const;
export type ExitCause = (typeof EXIT_CAUSES)[number];

const X = true;
const _ = false;

/** systemd.service(5), Table 2 "Exit causes and the effect of the Restart= settings", row by row. */
export const RESTART_TABLE: Readonly<Record<RestartMode, Readonly<Record<ExitCause, boolean>>>> = {
  //              clean  exit-code  signal  timeout  watchdog
  no:          { clean: _, 'unclean-exit-code': _, 'unclean-signal': _, timeout: _, watchdog: _ },
  always:      { clean: X, 'unclean-exit-code': X, 'unclean-signal': X, timeout: X, watchdog: X },
  'on-success':  { clean: X, 'unclean-exit-code': _, 'unclean-signal': _, timeout: _, watchdog: _ },
  'on-failure':  { clean: _, 'unclean-exit-code': X, 'unclean-signal': X, timeout: X, watchdog: X },
  'on-abnormal': { clean: _, 'unclean-exit-code': _, 'unclean-signal': X, timeout: X, watchdog: X },
  'on-abort':    { clean: _, 'unclean-exit-code': _, 'unclean-signal': X, timeout: _, watchdog: _ },
  'on-watchdog': { clean: _, 'unclean-exit-code': _, 'unclean-signal': _, timeout: _, watchdog: X },
};

/**
 * The table's column for a run's Result. service_shall_restart() treats every other failure
 * (resources, protocol, oom-kill, start-limit-hit) exactly like a timeout; a skipped
 * ExecCondition= never restarts, not even with Restart=always.
 */
export function exitCauseOf(result: ServiceResult): ExitCause | 'skipped' {
  switch (result) {
    case 'success':
      return 'clean';
    case 'exit-code':
      return 'unclean-exit-code';
    case 'signal':
    case 'core-dump':
      return 'unclean-signal';
    case 'watchdog':
      return 'watchdog';
    case 'exec-condition':
      return 'skipped';
    case 'timeout':
    case 'resources':
    case 'protocol':
    case 'oom-kill':
    case 'start-limit-hit':
      return 'timeout';
  }
}

/**
 * service_shall_restart() without the manual-stop check (the machine keeps that flag):
 * RestartPreventExitStatus= wins, then RestartForceExitStatus=, then the table.
 * `exit` is the main process's last exit in this run, if it has one.
 */
export function shouldRestart(
  restart: RestartMode,
  result: ServiceResult,
  exit: ProcessExit | undefined,
  prevent: ExitStatusSet,
  force: ExitStatusSet,
): boolean {
  if (exitStatusSetMatches(prevent, exit)) return false;
  if (exitStatusSetMatches(force, exit)) return true;
  const cause = exitCauseOf(result);
  return cause !== 'skipped' && RESTART_TABLE[restart][cause];
}
