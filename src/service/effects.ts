// The service machine's process port as data: the Effects it emits and the ServiceEvents it consumes (systemd.service(5), systemd.kill(5)).
import type { Usec } from '../common/clock.js';
import type { ExecCommand } from '../unit/model.js';
import type { ProcessExit } from './exit-cause.js';
import type { NotifyMessage } from './notify-message.js';
import type { ServiceSubState } from './service-state.js';

export type ProcessRole = 'main' | 'control';

/** Which Exec*= list a spawn runs (systemd's ServiceExecCommand). */
/** 'stop-pre' is a socket unit's ExecStopPre= (services have none). */
export type ExecPhase = 'condition' | 'start-pre' | 'start' | 'start-post' | 'reload' | 'stop-pre' | 'stop' | 'stop-post';

/** The two timers a service owns: the per-state one (start/stop timeouts, RuntimeMaxSec=, RestartSec=) and the watchdog. */
export type ServiceTimer = 'state' | 'watchdog';

export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error';

/**
 * Whom a kill reaches. 'main-and-control' is KillMode=process/mixed's SIGTERM; 'all' adds the rest
 * of the unit's processes (KillMode=control-group, mixed's SIGKILL). The pids are the machine's
 * view at emission time.
 */
export type KillTarget = 'main' | 'control' | 'main-and-control' | 'all';

export type Effect =
  | {
      readonly kind: 'spawn';
      readonly role: ProcessRole;
      readonly phase: ExecPhase;
      /** Index of `command` in its Exec*= list. */
      readonly index: number;
      readonly command: ExecCommand;
      /** $MAINPID, $SERVICE_RESULT, $EXIT_CODE, $EXIT_STATUS, $WATCHDOG_USEC where service.c sets them. */
      readonly extraEnv: Readonly<Record<string, string>>;
      /** Pass $NOTIFY_SOCKET (service_exec_needs_notify_socket()). */
      readonly notifySocket: boolean;
      /** Type=exec: report exec-confirmed / exec-failed once execve() is known to have succeeded or not. */
      readonly confirmExec: boolean;
      /** Type=idle: delay the spawn until the job queue is idle (at most 5s, as systemd). */
      readonly waitForIdle: boolean;
    }
  | {
      readonly kind: 'kill';
      readonly whom: KillTarget;
      readonly signal: number;
      /** 'spawning': the process the runner is starting for that role. */
      readonly mainPid: number | 'spawning' | undefined;
      readonly controlPid: number | 'spawning' | undefined;
      /** SendSIGHUP=: follow the signal with SIGHUP. */
      readonly sendSIGHUP: boolean;
      /** Log "Killing process PID (comm) with signal SIGxxx." per process (systemd does for SIGKILL and watchdog). */
      readonly logKills: boolean;
    }
  /** (Re)arms a timer; arming one that is armed replaces it. */
  | { readonly kind: 'arm-timer'; readonly timer: ServiceTimer; readonly afterUsec: Usec }
  | { readonly kind: 'cancel-timer'; readonly timer: ServiceTimer }
  /** Read PIDFile=; answer with a 'pid-file' event. `watch`: keep watching until it is readable (service_demand_pid_file()). */
  | { readonly kind: 'read-pid-file'; readonly path: string; readonly watch: boolean }
  | { readonly kind: 'unwatch-pid-file' }
  /** GuessMainPID=: find the one direct child left in the unit; answer with 'main-pid-guessed'. */
  | { readonly kind: 'guess-main-pid' }
  /** Report the exit of a main pid the manager did not spawn (forking daemon, MAINPID=). */
  | { readonly kind: 'watch-pid'; readonly pid: number }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly message: string }
  /** Every service_set_state(), in order, including passes through failed/dead before auto-restart. */
  | {
      readonly kind: 'state-changed';
      readonly from: ServiceSubState;
      readonly to: ServiceSubState;
      /** UNIT_NOTIFY_RELOAD_FAILURE: the reload that just ended failed. */
      readonly reloadFailed: boolean;
      /** UNIT_NOTIFY_WILL_AUTO_RESTART: this failed/dead is followed by auto-restart (no OnFailure=). */
      readonly willAutoRestart: boolean;
      /** UNIT_NOTIFY_SKIP_CONDITION: ExecCondition= skipped the unit (the start job is done, "Condition check resulted in ..."). */
      readonly skipCondition: boolean;
    }
  /** The restart timer expired: enqueue a restart job (JOB_RESTART, mode replace) for this unit. */
  | { readonly kind: 'enqueue-restart' }
  /** RELOADING=1: propagate the reload to PropagatesReloadTo= units (manager_propagate_reload()). */
  | { readonly kind: 'propagate-reload' }
  /** The start rate limit refused a start: the manager runs StartLimitAction=. */
  | { readonly kind: 'start-limit-hit' };

/** What the runner, the manager and the OS tell the machine. */
export type ServiceEvent =
  /** The job engine starts the unit (after conditions and asserts passed). */
  | { readonly kind: 'start' }
  | { readonly kind: 'stop' }
  | { readonly kind: 'reload' }
  | { readonly kind: 'reset-failed' }
  /** `systemctl kill`: signal main, control or all processes; refused when that process does not exist. */
  | { readonly kind: 'kill'; readonly whom: 'main' | 'control' | 'all'; readonly signal: number }
  | { readonly kind: 'spawned'; readonly role: ProcessRole; readonly pid: number }
  /** Setting up the process failed before exec (unreadable EnvironmentFile=, ...): Result=resources. */
  | {
      readonly kind: 'spawn-failed';
      readonly role: ProcessRole;
      readonly reason: 'resources';
      /** strerror text, e.g. "No such file or directory". */
      readonly message: string;
      /** The spawner's own error line, logged first (e.g. "Failed to load environment files: No such file or directory"). */
      readonly cause?: string;
    }
  /** Type=exec: execve() succeeded. */
  | { readonly kind: 'exec-confirmed'; readonly role: ProcessRole }
  /**
   * execve() failed (missing binary, ...): systemd's child exits with 203/EXEC; the machine
   * treats it as that exit. `status` defaults to 203.
   */
  | {
      readonly kind: 'exec-failed';
      readonly role: ProcessRole;
      readonly path: string;
      readonly message: string;
      readonly status?: number;
    }
  | ({ readonly kind: 'process-exited'; readonly pid: number } & ProcessExit)
  | { readonly kind: 'timer-fired'; readonly timer: ServiceTimer }
  /** A datagram routed to this unit by its sender's pid (the router only passes senders that belong to the unit). */
  | { readonly kind: 'notify'; readonly pid: number; readonly message: NotifyMessage }
  /** Answer to read-pid-file: the pid, or the error text ("No such file or directory"). */
  /** `error`: why the file could not be opened (strerror); `refusal`: systemd's whole line for a file that names no suitable pid. */
  | { readonly kind: 'pid-file'; readonly pid: number | undefined; readonly error?: string; readonly refusal?: string }
  | { readonly kind: 'main-pid-guessed'; readonly pid: number | undefined }
  /** The unit's process set became empty (systemd's cgroup-empty notification). */
  | { readonly kind: 'all-processes-gone' }
  /**
   * [X-Readiness] passed, or a probe failed Threshold= times in a row (`message` says which probe
   * and how). The probe runner only reports while the machine is in the state the probe serves.
   */
  | { readonly kind: 'probe'; readonly probe: 'readiness' | 'health'; readonly passed: boolean; readonly message: string };

export type ServiceEventKind = ServiceEvent['kind'];
