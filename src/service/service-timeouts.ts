// What each sub-state does when its timer expires: service_dispatch_timer() of systemd 252 (TimeoutStartSec=, TimeoutStopSec=, RuntimeMaxSec=, RestartSec=).
import type { Step } from './service-runtime.js';
import { enterDead, enterRestart, enterRunning, enterSignal, enterStop, enterStopPost } from './service-enter.js';
import type { ServiceSubState } from './service-state.js';

type TimerReaction = (m: Step) => void;

const noTimer: TimerReaction = (m) => m.log('debug', `Can't happen: state timer in state '${m.sub}', ignoring.`);

/** TimeoutStartFailureMode= while starting: "<state> operation timed out. ...". */
const startTimedOut: TimerReaction = (m) => {
  const what = `${m.sub} operation timed out.`;
  switch (m.cfg.timeoutStartFailureMode) {
    case 'terminate':
      m.log('warning', `${what} Terminating.`);
      return enterSignal(m, 'stop-sigterm', 'timeout');
    case 'abort':
      m.log('warning', `${what} Aborting.`);
      return enterSignal(m, 'stop-watchdog', 'timeout');
    case 'kill':
      if (!m.cfg.kill.sendSIGKILL) {
        m.log('warning', `${what} Skipping SIGKILL.`);
        return enterStopPost(m, 'timeout');
      }
      m.log('warning', `${what} Killing.`);
      return enterSignal(m, 'stop-sigkill', 'timeout');
  }
};

/** ExecStop= ran too long: TimeoutStopFailureMode=. */
const stopTimedOut: TimerReaction = (m) => {
  switch (m.cfg.timeoutStopFailureMode) {
    case 'terminate':
      m.log('warning', 'Stopping timed out. Terminating.');
      return enterSignal(m, 'stop-sigterm', 'timeout');
    case 'abort':
      m.log('warning', 'Stopping timed out. Aborting.');
      return enterSignal(m, 'stop-watchdog', 'timeout');
    case 'kill':
      if (!m.cfg.kill.sendSIGKILL) {
        m.log('warning', 'Stopping timed out. Skipping SIGKILL.');
        return enterStopPost(m, 'timeout');
      }
      m.log('warning', 'Stopping timed out. Killing.');
      return enterSignal(m, 'stop-sigkill', 'timeout');
  }
};

/** A SIGTERM (or watchdog signal) was not heeded in time: escalate, or give up on SIGKILL. */
const signalTimedOut =
  (phase: 'stop' | 'final', abortable: boolean): TimerReaction =>
  (m) => {
    const state = `State '${m.sub}' timed out.`;
    const tail = phase === 'final' ? ' Entering failed mode.' : '';
    if (abortable && m.cfg.timeoutStopFailureMode === 'abort') {
      m.log('warning', `${state} Aborting.`);
      return enterSignal(m, phase === 'stop' ? 'stop-watchdog' : 'final-watchdog', 'timeout');
    }
    if (m.cfg.kill.sendSIGKILL) {
      m.log('warning', `${state} Killing.`);
      return enterSignal(m, phase === 'stop' ? 'stop-sigkill' : 'final-sigkill', 'timeout');
    }
    m.log('warning', `${state} Skipping SIGKILL.${tail}`);
    return phase === 'stop' ? enterStopPost(m, 'timeout') : enterDead(m, 'timeout', false);
  };

const stopPostTimedOut: TimerReaction = (m) => {
  switch (m.cfg.timeoutStopFailureMode) {
    case 'terminate':
      m.log('warning', "State 'stop-post' timed out. Terminating.");
      return enterSignal(m, 'final-sigterm', 'timeout');
    case 'abort':
      m.log('warning', "State 'stop-post' timed out. Aborting.");
      return enterSignal(m, 'final-watchdog', 'timeout');
    case 'kill':
      if (!m.cfg.kill.sendSIGKILL) {
        m.log('warning', "State 'stop-post' timed out. Skipping SIGKILL. Entering failed mode.");
        return enterDead(m, 'timeout', false);
      }
      m.log('warning', "State 'stop-post' timed out. Killing.");
      return enterSignal(m, 'final-sigkill', 'timeout');
  }
};

export const ON_STATE_TIMER: Readonly<Record<ServiceSubState, TimerReaction>> = {
  dead: noTimer,
  condition: startTimedOut,
  'start-pre': startTimedOut,
  start: startTimedOut,
  'start-post': startTimedOut,
  running: (m) => {
    m.log('warning', 'Service reached runtime time limit. Stopping.');
    enterStop(m, 'timeout');
  },
  exited: noTimer,
  reload: (m) => {
    m.log('warning', 'Reload operation timed out. Killing reload process.');
    const controlPid = m.s.controlPid;
    if (controlPid !== undefined) {
      m.effects.push({ kind: 'kill', whom: 'control', signal: 9, mainPid: undefined, controlPid, sendSIGHUP: false, logKills: false });
    }
    m.s.reloadResult = 'timeout';
    enterRunning(m, 'success');
  },
  stop: stopTimedOut,
  'stop-watchdog': signalTimedOut('stop', false),
  'stop-sigterm': signalTimedOut('stop', true),
  'stop-sigkill': (m) => {
    // Something SIGKILL cannot kill: be weirded out and continue.
    m.log('warning', 'Processes still around after SIGKILL. Ignoring.');
    enterStopPost(m, 'timeout');
  },
  'stop-post': stopPostTimedOut,
  'final-watchdog': signalTimedOut('final', false),
  'final-sigterm': signalTimedOut('final', true),
  'final-sigkill': (m) => {
    m.log('warning', 'Processes still around after final SIGKILL. Entering failed mode.');
    enterDead(m, 'timeout', true);
  },
  failed: noTimer,
  'auto-restart': enterRestart,
};
