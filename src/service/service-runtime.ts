// Per-run bookkeeping systemd keeps in its Service struct, and the mutable step the reducer works on (service.c, service_set_state()).
import type { Usec } from '../common/clock.js';
import type { ExecCommand, ServiceSection } from '../unit/model.js';
import type { Effect, ExecPhase, LogLevel, ProcessRole, ServiceTimer } from './effects.js';
import type { ProcessExit } from './exit-cause.js';
import { activeStateOf, type ServiceResult, type ServiceState, type ServiceSubState } from './service-state.js';
import { initialStartLimit, type StartLimitState } from './start-limit.js';

/** A pid the machine tracks: known, being spawned (pid not reported yet), or none. */
export type TrackedPid = number | 'spawning' | undefined;

export type NotifyState = 'unknown' | 'ready' | 'reloading' | 'stopping';

export interface ServiceRuntime {
  readonly state: ServiceState;
  readonly result: ServiceResult;
  readonly reloadResult: ServiceResult;
  readonly mainPid: TrackedPid;
  /** main_pid_known: a main pid was set in this run (even if it has exited since). */
  readonly mainPidKnown: boolean;
  readonly controlPid: TrackedPid;
  /** Index into ExecStart= of the running main command (oneshot runs them in sequence). */
  readonly mainCommand: number | undefined;
  /** The running control command. */
  readonly controlCommand: { readonly phase: ExecPhase; readonly index: number } | undefined;
  /** main_exec_status: ExecMainPID=, ExecMainCode=, ExecMainStatus=. */
  readonly execMain: { readonly pid: number | undefined; readonly exit: ProcessExit | undefined };
  readonly nRestarts: number;
  /** Set when the unit went down without a scheduled restart: the next start zeroes NRestarts. */
  readonly flushNRestarts: boolean;
  /** A manual stop: never restart. */
  readonly forbidRestart: boolean;
  readonly statusText: string | undefined;
  readonly statusErrno: number;
  readonly notifyState: NotifyState;
  /** WATCHDOG_USEC= from the service, overriding WatchdogSec= for this run. */
  readonly watchdogOverrideUsec: Usec | undefined;
  /** Deadlines of the armed timers (absolute, on the Clock's monotonic axis). */
  readonly timers: Readonly<Record<ServiceTimer, Usec | undefined>>;
  readonly startLimit: StartLimitState;
  readonly startLimitHit: boolean;
  /** When the unit last became active (RuntimeMaxSec= counts from here). */
  readonly activeEnterUsec: Usec | undefined;
}

/** What the manager knows that the machine needs (systemd asks the unit, its jobs, its cgroup). */
export interface ServiceContext {
  readonly now: Usec;
  readonly startLimitIntervalUsec: Usec;
  readonly startLimitBurst: number;
  /** unit_has_job_type(u, JOB_STOP): a stop job is queued or running. */
  readonly stopJobPending?: boolean;
  /** unit_has_job_type(u, JOB_RESTART): the stop is part of a restart (RestartKillSignal=). */
  readonly restartJobPending?: boolean;
  /** cgroup_good(): the unit still has live processes (any, main and control included). */
  readonly cgroupPopulated?: boolean;
  /** service_is_suitable_main_pid(): is this pid alive and one of the unit's processes? Unknown → trusted. */
  readonly pidBelongsToUnit?: (pid: number) => boolean;
  /** Whether the pid still exists (zombies included). Unknown → it does. */
  readonly pidExists?: (pid: number) => boolean;
}

export function initialServiceRuntime(): ServiceRuntime {
  return {
    state: { sub: 'dead' },
    result: 'success',
    reloadResult: 'success',
    mainPid: undefined,
    mainPidKnown: false,
    controlPid: undefined,
    mainCommand: undefined,
    controlCommand: undefined,
    execMain: { pid: undefined, exit: undefined },
    nRestarts: 0,
    flushNRestarts: false,
    forbidRestart: false,
    statusText: undefined,
    statusErrno: 0,
    notifyState: 'unknown',
    watchdogOverrideUsec: undefined,
    timers: { state: undefined, watchdog: undefined },
    startLimit: initialStartLimit(),
    startLimitHit: false,
    activeEnterUsec: undefined,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableRuntime = Omit<Mutable<ServiceRuntime>, 'timers'> & { timers: Record<ServiceTimer, Usec | undefined> };

const TIMER_STATES: readonly ServiceSubState[] = [
  'condition', 'start-pre', 'start', 'start-post', 'running', 'reload', 'stop', 'stop-watchdog', 'stop-sigterm',
  'stop-sigkill', 'stop-post', 'final-watchdog', 'final-sigterm', 'final-sigkill', 'auto-restart',
];
const MAIN_PID_STATES: readonly ServiceSubState[] = [
  'start', 'start-post', 'running', 'reload', 'stop', 'stop-watchdog', 'stop-sigterm', 'stop-sigkill', 'stop-post',
  'final-watchdog', 'final-sigterm', 'final-sigkill',
];
const CONTROL_PID_STATES: readonly ServiceSubState[] = [
  'condition', 'start-pre', 'start', 'start-post', 'reload', 'stop', 'stop-watchdog', 'stop-sigterm', 'stop-sigkill',
  'stop-post', 'final-watchdog', 'final-sigterm', 'final-sigkill',
];
const WATCHDOG_STATES: readonly ServiceSubState[] = ['start-post', 'running', 'reload'];

/**
 * The runtime as a fresh object of one shape, field by field: a spread ({ ...runtime }) takes V8's slow
 * object-cloning path here, about a twentieth of the daemon's CPU when 500 services stop at once.
 */
function copyRuntime(r: ServiceRuntime): MutableRuntime {
  return {
    state: r.state,
    result: r.result,
    reloadResult: r.reloadResult,
    mainPid: r.mainPid,
    mainPidKnown: r.mainPidKnown,
    controlPid: r.controlPid,
    mainCommand: r.mainCommand,
    controlCommand: r.controlCommand,
    execMain: r.execMain,
    nRestarts: r.nRestarts,
    flushNRestarts: r.flushNRestarts,
    forbidRestart: r.forbidRestart,
    statusText: r.statusText,
    statusErrno: r.statusErrno,
    notifyState: r.notifyState,
    watchdogOverrideUsec: r.watchdogOverrideUsec,
    timers: { state: r.timers.state, watchdog: r.timers.watchdog },
    startLimit: r.startLimit,
    startLimitHit: r.startLimitHit,
    activeEnterUsec: r.activeEnterUsec,
  };
}

/** One reducer call: the runtime being changed in place (as service.c changes its struct) and the effects so far. */
export class Step {
  readonly s: MutableRuntime;
  readonly effects: Effect[] = [];

  constructor(
    readonly cfg: ServiceSection,
    readonly ctx: ServiceContext,
    runtime: ServiceRuntime,
  ) {
    this.s = copyRuntime(runtime);
  }

  get sub(): ServiceSubState {
    return this.s.state.sub;
  }

  log(level: LogLevel, message: string): void {
    this.effects.push({ kind: 'log', level, message });
  }

  commands(phase: ExecPhase): readonly ExecCommand[] {
    return COMMANDS_OF[phase](this.cfg);
  }

  armTimer(timer: ServiceTimer, afterUsec: Usec): void {
    if (!Number.isFinite(afterUsec)) return this.cancelTimer(timer);
    this.s.timers[timer] = this.ctx.now + Math.max(0, afterUsec);
    this.effects.push({ kind: 'arm-timer', timer, afterUsec: Math.max(0, afterUsec) });
  }

  cancelTimer(timer: ServiceTimer): void {
    if (this.s.timers[timer] === undefined) return;
    this.s.timers[timer] = undefined;
    this.effects.push({ kind: 'cancel-timer', timer });
  }

  /** service_set_state(): drop what the new state does not keep, then tell the manager. */
  setState(state: ServiceState, willAutoRestart = false): void {
    const from = this.s.state;
    this.s.state = state;
    const to = state.sub;
    if (!TIMER_STATES.includes(to)) this.cancelTimer('state');
    if (!MAIN_PID_STATES.includes(to)) {
      this.s.mainPid = undefined;
      this.s.mainCommand = undefined;
    }
    if (!CONTROL_PID_STATES.includes(to)) {
      this.s.controlPid = undefined;
      this.s.controlCommand = undefined;
    }
    if (!WATCHDOG_STATES.includes(to)) this.cancelTimer('watchdog');
    if (pidFileWait(from) === 'demand' && pidFileWait(state) !== 'demand') this.effects.push({ kind: 'unwatch-pid-file' });
    if (from.sub === to) return;
    const wasActive = activeStateOf(from.sub) === 'active' || activeStateOf(from.sub) === 'reloading';
    if (activeStateOf(to) === 'active' && !wasActive) this.s.activeEnterUsec = this.ctx.now;
    this.effects.push({
      kind: 'state-changed',
      from: from.sub,
      to,
      reloadFailed: this.s.reloadResult !== 'success',
      willAutoRestart,
      skipCondition: to === 'dead' && this.s.result === 'exec-condition',
    });
  }

  /** result is sticky: the first failure of a run is the one reported. */
  recordResult(f: ServiceResult): void {
    if (this.s.result === 'success') this.s.result = f;
  }

  pidOf(role: ProcessRole): number | undefined {
    const pid = role === 'main' ? this.s.mainPid : this.s.controlPid;
    return typeof pid === 'number' ? pid : undefined;
  }

  /** main_pid_good(): > 0 alive, 0 gone, < 0 never known. */
  mainPidGood(): 1 | 0 | -1 {
    if (!this.s.mainPidKnown) return -1;
    if (this.s.mainPid === undefined) return 0;
    // main_pid_alien: a main pid that is not our child (MAINPID=, PIDFile=) may end unseen; systemd then asks
    // pid_is_alive(). One that no longer exists at all was reaped elsewhere: its exit will never be reported.
    if (typeof this.s.mainPid === 'number' && this.ctx.pidExists?.(this.s.mainPid) === false) return 0;
    return 1;
  }

  controlPidGood(): boolean {
    return this.s.controlPid !== undefined;
  }

  cgroupGood(): boolean {
    return this.ctx.cgroupPopulated ?? false;
  }

  done(): { state: ServiceRuntime; effects: Effect[] } {
    return { state: this.s, effects: this.effects };
  }
}

function pidFileWait(state: ServiceState): 'read' | 'demand' | undefined {
  return state.sub === 'start' || state.sub === 'start-post' ? state.pidFile : undefined;
}

const COMMANDS_OF: Readonly<Record<ExecPhase, (cfg: ServiceSection) => readonly ExecCommand[]>> = {
  condition: (c) => c.execCondition,
  'start-pre': (c) => c.execStartPre,
  start: (c) => c.execStart,
  'start-post': (c) => c.execStartPost,
  reload: (c) => c.execReload,
  'stop-pre': () => [],
  stop: (c) => c.execStop,
  'stop-post': (c) => c.execStopPost,
};
