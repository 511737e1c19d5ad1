// The service_enter_*() steps of systemd 252's service.c: each enters a sub-state, spawning or killing as it goes (systemd.service(5)).
import type { ExecPhase, ProcessRole } from './effects.js';
import { shouldRestart } from './restart-policy.js';
import type { Step } from './service-runtime.js';
import { exitEnvironment } from './service-messages.js';
import type { ServiceResult } from './service-state.js';
import { killFor, killOperationOf, type KillingState } from './kill-plan.js';

/** Types whose ExecStart= process is the main process from the start, ready at once. */
const isSimpleLike = (m: Step) => m.cfg.type === 'simple' || m.cfg.type === 'idle' || m.cfg.type === 'dbus';
const isNotifyLike = (m: Step) => m.cfg.type === 'notify' || m.cfg.type === 'notify-reload';

/** service_spawn(): arm the state timer, emit the spawn, track the pid as being spawned. */
export function spawn(m: Step, role: ProcessRole, phase: ExecPhase, index: number, timeoutUsec: number): void {
  const command = m.commands(phase)[index]!;
  m.armTimer('state', timeoutUsec);
  const extraEnv: Record<string, string> = {};
  const mainPid = m.pidOf('main');
  if (mainPid !== undefined) extraEnv.MAINPID = String(mainPid);
  if (phase === 'stop' || phase === 'stop-post') {
    extraEnv.SERVICE_RESULT = m.s.result;
    if (m.s.execMain.pid !== undefined && m.s.execMain.exit) Object.assign(extraEnv, exitEnvironment(m.s.execMain.exit));
  }
  const isMain = phase === 'start';
  const watchdogUsec = watchdogUsecOf(m);
  if (isMain && watchdogUsec > 0 && Number.isFinite(watchdogUsec)) extraEnv.WATCHDOG_USEC = String(watchdogUsec);
  const access = m.cfg.notifyAccess;
  m.effects.push({
    kind: 'spawn',
    role,
    phase,
    index,
    command,
    extraEnv,
    // service_exec_needs_notify_socket(): control processes only with NotifyAccess=all/exec.
    notifySocket: isMain ? isNotifyLike(m) || access !== 'none' : access === 'all' || access === 'exec',
    confirmExec: role === 'main' && m.cfg.type === 'exec',
    waitForIdle: role === 'main' && m.cfg.type === 'idle',
  });
  if (role === 'main') {
    m.s.mainPid = 'spawning';
    m.s.mainPidKnown = true;
    m.s.mainCommand = index;
    m.s.execMain = { pid: undefined, exit: undefined };
  } else {
    m.s.controlPid = 'spawning';
    m.s.controlCommand = { phase, index };
  }
}

export const watchdogUsecOf = (m: Step): number => m.s.watchdogOverrideUsec ?? m.cfg.watchdogUsec;

/** A control phase: run its first command, or go on when it has none. */
function enterControlPhase(m: Step, phase: ExecPhase, timeoutUsec: number, enter: () => void, skip: () => void): void {
  m.s.controlPid = undefined;
  if (m.commands(phase).length === 0) return skip();
  spawn(m, 'control', phase, 0, timeoutUsec);
  enter();
}

export function enterCondition(m: Step): void {
  enterControlPhase(m, 'condition', m.cfg.timeoutStartUsec, () => m.setState({ sub: 'condition' }), () => enterStartPre(m));
}

export function enterStartPre(m: Step): void {
  enterControlPhase(m, 'start-pre', m.cfg.timeoutStartUsec, () => m.setState({ sub: 'start-pre' }), () => enterStart(m));
}

export function enterStart(m: Step): void {
  m.s.controlPid = undefined;
  m.s.mainPid = undefined;
  if (m.cfg.execStart.length === 0) {
    // A oneshot without ExecStart= still passes through "start", so SuccessAction= and friends see a transition.
    m.setState({ sub: 'start' });
    return enterStartPost(m);
  }
  if (m.cfg.type === 'forking') {
    m.s.mainCommand = undefined;
    spawn(m, 'control', 'start', 0, m.cfg.timeoutStartUsec);
  } else {
    // simple/idle get no start timeout (RuntimeMaxSec= applies once running), unless a readiness probe holds them in "start".
    spawn(m, 'main', 'start', 0, isSimpleLike(m) && m.cfg.readiness === undefined ? Number.POSITIVE_INFINITY : m.cfg.timeoutStartUsec);
  }
  // simple/idle go on once the spawn is confirmed ('spawned'); the others wait in "start".
  m.setState({ sub: 'start' });
}

/** After the main process of Type=simple/idle was spawned, or Type=exec's execve() succeeded. */
export function mainProcessStarted(m: Step): void {
  // With [X-Readiness] the service stays in "start" until its probe passes, as Type=notify waits for READY=1.
  if (m.sub === 'start' && m.cfg.readiness === undefined) enterStartPost(m);
}

export function enterStartPost(m: Step): void {
  m.s.controlPid = undefined;
  resetWatchdog(m);
  if (m.cfg.execStartPost.length === 0) return enterRunning(m, 'success');
  spawn(m, 'control', 'start-post', 0, m.cfg.timeoutStartUsec);
  m.setState({ sub: 'start-post' });
}

/** service_good(): is there still something running that makes the service up? */
function serviceGood(m: Step): boolean {
  const main = m.mainPidGood();
  if (main > 0) return true;
  if (main === 0 && m.cfg.exitType === 'main') return false;
  return m.cgroupGood();
}

export function enterRunning(m: Step, f: ServiceResult): void {
  m.recordResult(f);
  m.s.controlPid = undefined;
  if (m.s.result !== 'success') return enterSignal(m, 'stop-sigterm', f);
  if (!serviceGood(m)) {
    if (m.cfg.remainAfterExit) return m.setState({ sub: 'exited' });
    return enterStop(m, 'success');
  }
  // Notifications that arrived while starting take effect now.
  if (m.s.notifyState === 'reloading') return enterReloadByNotify(m);
  if (m.s.notifyState === 'stopping') return enterStopByNotify(m);
  m.setState({ sub: 'running' });
  m.armTimer('state', (m.s.activeEnterUsec ?? m.ctx.now) + m.cfg.runtimeMaxUsec - m.ctx.now);
}

export function enterReload(m: Step): void {
  m.s.reloadResult = 'success';
  enterControlPhase(m, 'reload', m.cfg.timeoutStartUsec, () => m.setState({ sub: 'reload', byNotify: false }), () => enterRunning(m, 'success'));
}

export function enterReloadByNotify(m: Step): void {
  m.armTimer('state', m.cfg.timeoutStartUsec);
  m.setState({ sub: 'reload', byNotify: true });
  m.effects.push({ kind: 'propagate-reload' });
}

export function enterStop(m: Step, f: ServiceResult): void {
  m.recordResult(f);
  enterControlPhase(m, 'stop', m.cfg.timeoutStopUsec, () => m.setState({ sub: 'stop' }), () => enterSignal(m, 'stop-sigterm', 'success'));
}

/** STOPPING=1: "as if we SIGTERM'd it". */
export function enterStopByNotify(m: Step): void {
  m.armTimer('state', m.cfg.timeoutStopUsec);
  m.setState({ sub: 'stop-sigterm' });
}

export function enterStopPost(m: Step, f: ServiceResult): void {
  m.recordResult(f);
  enterControlPhase(m, 'stop-post', m.cfg.timeoutStopUsec, () => m.setState({ sub: 'stop-post' }), () => enterSignal(m, 'final-sigterm', 'success'));
}

/** service_enter_signal(): kill per KillMode=, wait for the processes, or move on at once when none is left. */
export function enterSignal(m: Step, state: KillingState, f: ServiceResult): void {
  m.recordResult(f);
  const op = killOperationOf(state, m.ctx.restartJobPending ?? false);
  if (killFor(m, op)) {
    m.armTimer('state', op === 'watchdog' ? m.cfg.timeoutAbortUsec : m.cfg.timeoutStopUsec);
    return m.setState({ sub: state });
  }
  const sigkill = m.cfg.kill.sendSIGKILL;
  if ((state === 'stop-watchdog' || state === 'stop-sigterm') && sigkill) return enterSignal(m, 'stop-sigkill', 'success');
  if (state === 'stop-watchdog' || state === 'stop-sigterm' || state === 'stop-sigkill') return enterStopPost(m, 'success');
  if ((state === 'final-watchdog' || state === 'final-sigterm') && sigkill) return enterSignal(m, 'final-sigkill', 'success');
  enterDead(m, 'success', true);
}

/** service_enter_dead(): log the outcome, settle in dead/failed, and maybe schedule an automatic restart. */
export function enterDead(m: Step, f: ServiceResult, allowRestart: boolean): void {
  // A queued stop job must not be undone by Restart=.
  if (m.ctx.stopJobPending) allowRestart = false;
  m.recordResult(f);
  const result = m.s.result;
  if (result === 'success') m.log('info', 'Deactivated successfully.');
  else if (result === 'exec-condition') m.log('info', `Skipped due to '${result}'.`);
  else m.log('warning', `Failed with result '${result}'.`);
  const end = result === 'success' || result === 'exec-condition' ? 'dead' : 'failed';
  const cfg = m.cfg;
  const willRestart =
    allowRestart &&
    !m.s.forbidRestart &&
    shouldRestart(cfg.restart, result, m.s.execMain.exit, cfg.restartPreventExitStatus, cfg.restartForceExitStatus);
  m.setState({ sub: end }, willRestart);
  // systemd 252 shows Result=success after an ExecCondition= skip (checked with the oracle): the skip is
  // reported to the job, not kept as the unit's result.
  if (result === 'exec-condition') m.s.result = 'success';
  if (!willRestart) {
    // Flushed at the next start, so that NRestarts= can still be read until then.
    m.s.flushNRestarts = true;
    return;
  }
  m.armTimer('state', cfg.restartUsec);
  m.setState({ sub: 'auto-restart' });
}

/** service_enter_restart(): RestartSec= elapsed; the manager runs the restart job. */
export function enterRestart(m: Step): void {
  if (m.ctx.stopJobPending) {
    m.log('info', 'Stop job pending for unit, skipping automatic restart.');
    return;
  }
  m.effects.push({ kind: 'enqueue-restart' });
  m.s.nRestarts += 1;
  m.s.flushNRestarts = false;
  m.log('info', `Scheduled restart job, restart counter is at ${m.s.nRestarts}.`);
}

/** service_reset_watchdog(): (re)start the keep-alive deadline. */
export function resetWatchdog(m: Step): void {
  const usec = watchdogUsecOf(m);
  if (usec <= 0 || !Number.isFinite(usec)) return m.cancelTimer('watchdog');
  m.armTimer('watchdog', usec);
}

export function setMainPid(m: Step, pid: number): void {
  if (m.s.mainPid === pid && m.s.mainPidKnown) return;
  if (m.s.mainPid !== pid) m.s.execMain = { pid, exit: undefined };
  m.s.mainPid = pid;
  m.s.mainPidKnown = true;
  m.effects.push({ kind: 'watch-pid', pid });
}

/** service_search_main_pid(): GuessMainPID= heuristics, only when nothing better is known. */
export function searchMainPid(m: Step): void {
  if (m.s.mainPidKnown || !m.cfg.guessMainPID) return;
  m.effects.push({ kind: 'guess-main-pid' });
}
