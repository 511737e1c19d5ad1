// systemd 252's unit-level words for service events (unit_log_process_exit(), unit_log_failure(), service.c warnings).
import { formatExitStatusForLog } from '../unit/values/exit-status.js';
import { signalToString } from '../unit/values/signal.js';
import type { LogLevel } from './effects.js';
import type { ProcessExit } from './exit-cause.js';

/** "code=exited, status=1/FAILURE" / "code=killed, status=9/KILL". */
export function exitText(exit: ProcessExit): string {
  const status = exit.code === 'exited' ? formatExitStatusForLog(exit.status) : `${exit.status}/${signalToString(exit.status)}`;
  return `code=${exit.code}, status=${status}`;
}

/** unit_log_process_exit(): successes at debug, exit() failures at notice, deaths by signal at warning. */
export function processExitLog(
  kind: 'Main process' | 'Control process' | 'Condition check process',
  success: boolean,
  exit: ProcessExit,
): { level: LogLevel; message: string } {
  const level: LogLevel = success ? 'debug' : exit.code === 'exited' ? 'notice' : 'warning';
  return { level, message: `${kind} exited, ${exitText(exit)}${success ? ' (success)' : ''}` };
}

/** The $EXIT_CODE/$EXIT_STATUS pair ExecStop=/ExecStopPost= see (signals by name, without "SIG"). */
export function exitEnvironment(exit: ProcessExit): Record<string, string> {
  return {
    EXIT_CODE: exit.code,
    EXIT_STATUS: exit.code === 'exited' ? String(exit.status) : signalToString(exit.status),
  };
}
