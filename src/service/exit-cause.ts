// Classify a process exit into a ServiceResult, as systemd's is_clean_exit() (systemd.service(5) SuccessExitStatus=).
import type { ExitStatusSet } from '../unit/model.js';
import type { ExitCode, ServiceResult } from './service-state.js';

const SIGHUP = 1;
const SIGINT = 2;
const SIGPIPE = 13;
const SIGTERM = 15;

/** A daemon's main process may die of these without it being a failure; a command may not. */
const CLEAN_DAEMON_SIGNALS: readonly number[] = [SIGHUP, SIGINT, SIGTERM, SIGPIPE];

export interface ProcessExit {
  readonly code: ExitCode;
  /** Exit status for 'exited', signal number otherwise. */
  readonly status: number;
}

/**
 * EXIT_CLEAN_DAEMON for a long-running main process; EXIT_CLEAN_COMMAND for oneshot main
 * processes and control processes ("typically expected to terminate on their own").
 */
export type ExitCleanMode = 'daemon' | 'command';

export function isCleanExit(exit: ProcessExit, mode: ExitCleanMode, success: ExitStatusSet): boolean {
  if (exit.code === 'exited') return exit.status === 0 || success.statuses.includes(exit.status);
  if (exit.code === 'killed') {
    return (mode === 'daemon' && CLEAN_DAEMON_SIGNALS.includes(exit.status)) || success.signals.includes(exit.status);
  }
  return false;
}

/** service_sigchld_event()'s first step: clean → success, else by how it ended. */
export function classifyExit(exit: ProcessExit, mode: ExitCleanMode, success: ExitStatusSet): ServiceResult {
  if (isCleanExit(exit, mode, success)) return 'success';
  switch (exit.code) {
    case 'exited':
      return 'exit-code';
    case 'killed':
      return 'signal';
    case 'dumped':
      return 'core-dump';
  }
}

/** exit_status_set_test(): does the set name this exit (statuses for exits, signals for kills and dumps)? */
export function exitStatusSetMatches(set: ExitStatusSet, exit: ProcessExit | undefined): boolean {
  if (exit === undefined) return false;
  if (exit.code === 'exited') return set.statuses.includes(exit.status);
  return set.signals.includes(exit.status);
}
