// One service's lifecycle as a pure reducer: (config, context, runtime, event) → (runtime, effects), after systemd 252's service.c (systemd.service(5)).
/*
 * Main transitions (timeouts, watchdog and failures branch into the stop chain at stop-sigterm):
 *
 *   dead/failed ──start──▶ condition ──▶ start-pre ──▶ start ──▶ start-post ──▶ running ──reload──▶ reload
 *        ▲                 (ExecCondition)  (ExecStartPre) │ simple/idle: spawned   │  ▲              │
 *        │                                                 │ exec: exec-confirmed   │  └──────────────┘
 *        │                                                 │ forking: parent exits  │  main exits, RemainAfterExit=yes
 *        │                                                 │ oneshot: last ExecStart▼
 *        │                                                 │ notify: READY=1      exited
 *        │                                                 ▼                        │ stop / main exits
 *        │                                            (failure) ──────────┐         ▼
 *        │                                                                └──▶ stop ──▶ stop-sigterm ──▶ stop-sigkill
 *        │                                                                  (ExecStop)  (KillSignal=)    (FinalKillSignal=)
 *        │                                                                                   │
 *        │                                                                                   ▼
 *        └──── dead / failed ◀── final-sigkill ◀── final-sigterm ◀──────────────────── stop-post
 *                    │                                                              (ExecStopPost)
 *                    │ Restart= says so (restart-policy.ts)
 *                    ▼
 *              auto-restart ──RestartSec=──▶ enqueue-restart effect; the restart job's stop → dead, start → condition
 *
 * Every enter*() lives in service-enter.ts; process exits in service-exits.ts; timers in
 * service-timeouts.ts; notifications and PID files in service-notify.ts. The tables below
 * dispatch the manager's requests by sub-state.
 */
import type { ServiceSection } from '../unit/model.js';
import type { Effect, ServiceEvent } from './effects.js';
import { initialServiceRuntime, Step, type ServiceContext, type ServiceRuntime } from './service-runtime.js';
import { enterCondition, enterDead, enterReload, enterRunning, enterSignal, enterStop, enterStopPost, mainProcessStarted } from './service-enter.js';
import { controlExited, execFailed, mainExited, spawnFailed } from './service-exits.js';
import { onMainPidGuessed, onNotify, onPidFile, onProbe, onWatchdogTimeout } from './service-notify.js';
import { ON_STATE_TIMER } from './service-timeouts.js';
import type { ServiceSubState } from './service-state.js';
import { resetStartLimit, testStartLimit } from './start-limit.js';

export { initialServiceRuntime, type ServiceContext, type ServiceRuntime } from './service-runtime.js';

/**
 * How a start/stop/reload request was taken, in the job engine's terms (unit_start() & co.):
 * accepted (now under way), already (nothing to do: job done), again (retry once the current
 * operation ends: job waits), refused (job fails), done (r == 0: the job stays and nothing is
 * announced; its unit's next state change ends it).
 */
export type RequestOutcome = 'accepted' | 'already' | 'again' | 'refused' | 'done';

export interface Transition {
  readonly state: ServiceRuntime;
  readonly effects: readonly Effect[];
  /** Set for start, stop, reload and kill events. */
  readonly outcome?: RequestOutcome;
}

export const initialServiceState = initialServiceRuntime;

type Request = (m: Step) => RequestOutcome;

const again: Request = () => 'again';
const already: Request = () => 'already';
/** service_start() returning 0 while activating: the job runs on and the unit says nothing new. */
const underWay: Request = () => 'done';

/** service_can_start() + service_start(): the start rate limit, then a fresh run. */
const startFresh: Request = (m) => {
  const limit = testStartLimit(
    { intervalUsec: m.ctx.startLimitIntervalUsec, burst: m.ctx.startLimitBurst },
    m.s.startLimit,
    m.ctx.now,
  );
  m.s.startLimit = limit.state;
  if (!limit.allowed) {
    m.log('warning', 'Start request repeated too quickly.');
    m.s.startLimitHit = true;
    m.effects.push({ kind: 'start-limit-hit' });
    // The run's own Result survives (after auto-restarts it stays e.g. exit-code).
    enterDead(m, 'start-limit-hit', false);
    return 'refused';
  }
  m.s.startLimitHit = false;
  Object.assign(m.s, {
    result: 'success',
    reloadResult: 'success',
    mainPidKnown: false,
    forbidRestart: false,
    statusText: undefined,
    statusErrno: 0,
    notifyState: 'unknown',
    watchdogOverrideUsec: undefined,
    execMain: { pid: undefined, exit: undefined },
  } satisfies Partial<ServiceRuntime>);
  // Not an automatic restart: NRestarts starts over.
  if (m.s.flushNRestarts) {
    m.s.nRestarts = 0;
    m.s.flushNRestarts = false;
  }
  enterCondition(m);
  return 'accepted';
};

const ON_START: Readonly<Record<ServiceSubState, Request>> = {
  dead: startFresh,
  condition: underWay,
  'start-pre': underWay,
  start: underWay,
  'start-post': underWay,
  running: already,
  exited: already,
  reload: already,
  stop: again,
  'stop-watchdog': again,
  'stop-sigterm': again,
  'stop-sigkill': again,
  'stop-post': again,
  'final-watchdog': again,
  'final-sigterm': again,
  'final-sigkill': again,
  failed: startFresh,
  // The restart job stops the unit first, so that BindsTo=/OnFailure= see it go down.
  'auto-restart': again,
};

/**
 * service_stop(): a manual stop never restarts. It returns 1 (the job announces "Stopping") only from
 * running/exited, where ExecStop= runs; elsewhere it signals at once or is already on its way and
 * returns 0 (no "Stopping" line, no ExecStop=).
 */
const manualStop =
  (then: (m: Step) => void, outcome: RequestOutcome = 'done'): Request =>
  (m) => {
    m.s.forbidRestart = true;
    then(m);
    return outcome;
  };
const signalNow = manualStop((m) => enterSignal(m, 'stop-sigterm', 'success'));
const onItsWay = manualStop(() => {});

const ON_STOP: Readonly<Record<ServiceSubState, Request>> = {
  dead: already,
  condition: signalNow,
  'start-pre': signalNow,
  start: signalNow,
  'start-post': signalNow,
  running: manualStop((m) => enterStop(m, 'success'), 'accepted'),
  exited: manualStop((m) => enterStop(m, 'success'), 'accepted'),
  reload: signalNow,
  stop: onItsWay,
  'stop-watchdog': signalNow,
  'stop-sigterm': onItsWay,
  'stop-sigkill': onItsWay,
  'stop-post': onItsWay,
  'final-watchdog': onItsWay,
  'final-sigterm': onItsWay,
  'final-sigkill': onItsWay,
  failed: already,
  'auto-restart': (m) => {
    m.s.forbidRestart = true;
    m.setState({ sub: 'dead' });
    return 'done';
  },
};

const inactiveReload: Request = (m) => {
  m.log('warning', 'Unit cannot be reloaded because it is inactive.');
  return 'refused';
};

const ON_RELOAD: Readonly<Record<ServiceSubState, Request>> = {
  dead: inactiveReload,
  condition: inactiveReload,
  'start-pre': inactiveReload,
  start: inactiveReload,
  'start-post': inactiveReload,
  running: (m) => (enterReload(m), 'accepted'),
  exited: (m) => (enterReload(m), 'accepted'),
  reload: again,
  stop: inactiveReload,
  'stop-watchdog': inactiveReload,
  'stop-sigterm': inactiveReload,
  'stop-sigkill': inactiveReload,
  'stop-post': inactiveReload,
  'final-watchdog': inactiveReload,
  'final-sigterm': inactiveReload,
  'final-sigkill': inactiveReload,
  failed: inactiveReload,
  'auto-restart': inactiveReload,
};

/** unit_can_reload(): only services with ExecReload= take reload jobs. */
export const canReload = (cfg: ServiceSection): boolean => cfg.execReload.length > 0;

/** service_notify_cgroup_empty_event(): used where no SIGCHLD can tell (forking without pid, ExitType=cgroup, leftovers). */
function onAllProcessesGone(m: Step): void {
  const mainGone = m.mainPidGood() <= 0 && !m.controlPidGood();
  const state = m.s.state;
  switch (state.sub) {
    case 'start':
      if ((m.cfg.type === 'notify' || m.cfg.type === 'notify-reload') && mainGone) return enterStopPost(m, 'protocol');
      if (m.cfg.exitType === 'cgroup' && m.mainPidGood() <= 0) return enterStopPost(m, 'success');
      return giveUpOnPidFile(m, state.pidFile, mainGone);
    case 'start-post':
      return giveUpOnPidFile(m, state.pidFile, mainGone);
    case 'running':
      return enterRunning(m, 'success');
    case 'stop-watchdog':
    case 'stop-sigterm':
    case 'stop-sigkill':
      if (mainGone) enterStopPost(m, 'success');
      return;
    case 'stop-post':
    case 'final-watchdog':
    case 'final-sigterm':
    case 'final-sigkill':
      if (mainGone) enterDead(m, 'success', true);
      return;
    default:
      return;
  }
}

/** unit_kill_common(): `systemctl kill` needs the process it names. */
function killRequest(m: Step, whom: 'main' | 'control' | 'all', signal: number): RequestOutcome {
  const { mainPid, controlPid } = m.s;
  if (whom === 'main' && mainPid === undefined) return 'refused';
  if (whom === 'control' && controlPid === undefined) return 'refused';
  if (whom === 'all' && mainPid === undefined && controlPid === undefined && !m.cgroupGood()) return 'refused';
  m.effects.push({
    kind: 'kill',
    whom,
    signal,
    mainPid: whom === 'control' ? undefined : mainPid,
    controlPid: whom === 'main' ? undefined : controlPid,
    sendSIGHUP: false,
    logKills: false,
  });
  return 'accepted';
}

/** A forking service whose processes are all gone will never write its PID file. */
function giveUpOnPidFile(m: Step, wait: 'read' | 'demand' | undefined, mainGone: boolean): void {
  if (wait !== 'demand' || !mainGone) return;
  m.log('warning', 'Daemon never wrote its PID file. Failing.');
  if (m.sub === 'start') enterStopPost(m, 'protocol');
  else enterStop(m, 'protocol');
}

function dispatch(m: Step, event: ServiceEvent): RequestOutcome | undefined {
  switch (event.kind) {
    case 'start':
      return ON_START[m.sub](m);
    case 'stop':
      return ON_STOP[m.sub](m);
    case 'reload':
      return canReload(m.cfg) ? ON_RELOAD[m.sub](m) : 'refused';
    case 'reset-failed':
      if (m.sub === 'failed') m.setState({ sub: 'dead' });
      Object.assign(m.s, { result: 'success', reloadResult: 'success', nRestarts: 0, flushNRestarts: false, startLimitHit: false });
      m.s.startLimit = resetStartLimit();
      return undefined;
    case 'kill':
      return killRequest(m, event.whom, event.signal);
    case 'spawned':
      if (event.role === 'main' && m.s.mainPid === 'spawning') {
        m.s.mainPid = event.pid;
        m.s.execMain = { pid: event.pid, exit: undefined };
        if (m.cfg.type === 'simple' || m.cfg.type === 'idle' || m.cfg.type === 'dbus') mainProcessStarted(m);
      } else if (event.role === 'control' && m.s.controlPid === 'spawning') m.s.controlPid = event.pid;
      return undefined;
    case 'spawn-failed':
      if ((event.role === 'main' ? m.s.mainPid : m.s.controlPid) === 'spawning') spawnFailed(m, event.role, event.message, event.cause);
      return undefined;
    case 'exec-confirmed':
      if (event.role === 'main' && m.cfg.type === 'exec') mainProcessStarted(m);
      return undefined;
    case 'exec-failed':
      if ((event.role === 'main' ? m.s.mainPid : m.s.controlPid) !== undefined) execFailed(m, event.role, event.path, event.message, event.status);
      return undefined;
    case 'process-exited':
      if (event.pid === m.pidOf('main')) mainExited(m, event);
      else if (event.pid === m.pidOf('control')) controlExited(m, event);
      return undefined;
    case 'timer-fired':
      // A timer re-armed or cancelled since it fired is stale.
      if (m.s.timers[event.timer] === undefined) return undefined;
      m.s.timers[event.timer] = undefined;
      if (event.timer === 'watchdog') onWatchdogTimeout(m);
      else ON_STATE_TIMER[m.sub](m);
      return undefined;
    case 'notify':
      onNotify(m, event.pid, event.message);
      return undefined;
    case 'pid-file':
      onPidFile(m, event.pid, event.error, event.refusal);
      return undefined;
    case 'main-pid-guessed':
      onMainPidGuessed(m, event.pid);
      return undefined;
    case 'all-processes-gone':
      onAllProcessesGone(m);
      return undefined;
    case 'probe':
      onProbe(m, event.probe, event.passed, event.message);
      return undefined;
  }
}

export function transition(cfg: ServiceSection, ctx: ServiceContext, state: ServiceRuntime, event: ServiceEvent): Transition {
  const m = new Step(cfg, ctx, state);
  const outcome = dispatch(m, event);
  const done = m.done();
  return outcome === undefined ? done : { ...done, outcome };
}
