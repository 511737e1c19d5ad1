// What a service does when one of its processes ends or fails to start: service_sigchld_event() of systemd 252 (systemd.service(5)).
import type { ProcessRole } from './effects.js';
import { classifyExit, type ProcessExit } from './exit-cause.js';
import { processExitLog } from './service-messages.js';
import type { Step } from './service-runtime.js';
import {
  enterDead, enterRunning, enterSignal, enterStart, enterStartPost, enterStartPre, enterStop, enterStopPost,
  searchMainPid, spawn,
} from './service-enter.js';
import type { ServiceResult, ServiceSubState } from './service-state.js';

type ExitReaction = (m: Step, f: ServiceResult) => void;

/** Cells systemd asserts unreachable: say so instead of acting. */
const impossible =
  (what: string): ExitReaction =>
  (m) =>
    m.log('debug', `Can't happen: ${what} in state '${m.sub}', ignoring.`);

const whenNoControl = (next: ExitReaction): ExitReaction => (m, f) => {
  if (!m.controlPidGood()) next(m, f);
};
const whenNoMain = (next: ExitReaction): ExitReaction => (m, f) => {
  if (m.mainPidGood() <= 0) next(m, f);
};

function mainExitedInStart(m: Step, f: ServiceResult): void {
  if (m.cfg.type === 'oneshot') return f === 'success' ? enterStartPost(m) : enterSignal(m, 'stop-sigterm', f);
  if (m.cfg.type === 'notify' || m.cfg.type === 'notify-reload') {
    // Only READY=1 enters running; a main process gone before it never will.
    if (f !== 'success') return enterSignal(m, 'stop-sigterm', f);
    if (!m.cfg.remainAfterExit || m.cfg.notifyAccess === 'main') enterSignal(m, 'stop-sigterm', 'protocol');
    return;
  }
  enterRunning(m, f);
}

/** The main process is gone: where each sub-state goes. */
const ON_MAIN_EXIT: Readonly<Record<ServiceSubState, ExitReaction>> = {
  dead: impossible('main process exit'),
  condition: impossible('main process exit'),
  'start-pre': impossible('main process exit'),
  start: mainExitedInStart,
  'start-post': whenNoControl((m, f) => enterStop(m, f)),
  running: (m, f) => enterRunning(m, f),
  exited: impossible('main process exit'),
  reload: whenNoControl((m, f) => enterStop(m, f)),
  stop: () => {}, // ExecStop= still runs; its end decides.
  'stop-watchdog': whenNoControl((m, f) => enterStopPost(m, f)),
  'stop-sigterm': whenNoControl((m, f) => enterStopPost(m, f)),
  'stop-sigkill': whenNoControl((m, f) => enterStopPost(m, f)),
  'stop-post': whenNoControl((m, f) => enterSignal(m, 'final-sigterm', f)),
  'final-watchdog': whenNoControl((m, f) => enterDead(m, f, true)),
  'final-sigterm': whenNoControl((m, f) => enterDead(m, f, true)),
  'final-sigkill': whenNoControl((m, f) => enterDead(m, f, true)),
  failed: impossible('main process exit'),
  'auto-restart': impossible('main process exit'),
};

function forkingParentExited(m: Step, f: ServiceResult): void {
  if (m.cfg.type !== 'forking') return;
  if (f !== 'success') return enterSignal(m, 'stop-sigterm', f);
  if (m.cfg.pidFile !== undefined) {
    m.effects.push({ kind: 'read-pid-file', path: m.cfg.pidFile, watch: false });
    return m.setState({ sub: 'start', pidFile: 'read' });
  }
  searchMainPid(m);
  enterStartPost(m);
}

function startPostFinished(m: Step, f: ServiceResult): void {
  if (f !== 'success') return enterSignal(m, 'stop-sigterm', f);
  if (m.cfg.pidFile !== undefined) {
    m.effects.push({ kind: 'read-pid-file', path: m.cfg.pidFile, watch: false });
    return m.setState({ sub: 'start-post', pidFile: 'read' });
  }
  searchMainPid(m);
  enterRunning(m, 'success');
}

/** The control process (or the last command of its list) finished: where each sub-state goes. */
const ON_CONTROL_EXIT: Readonly<Record<ServiceSubState, ExitReaction>> = {
  dead: impossible('control process exit'),
  condition: (m, f) => (f === 'success' ? enterStartPre(m) : enterSignal(m, 'stop-sigterm', f)),
  'start-pre': (m, f) => (f === 'success' ? enterStart(m) : enterSignal(m, 'stop-sigterm', f)),
  start: forkingParentExited,
  'start-post': startPostFinished,
  running: impossible('control process exit'),
  exited: impossible('control process exit'),
  reload: (m, f) => {
    if (f === 'success') searchMainPid(m);
    m.s.reloadResult = f;
    enterRunning(m, 'success');
  },
  stop: (m, f) => enterSignal(m, 'stop-sigterm', f),
  'stop-watchdog': whenNoMain((m, f) => enterStopPost(m, f)),
  'stop-sigterm': whenNoMain((m, f) => enterStopPost(m, f)),
  'stop-sigkill': whenNoMain((m, f) => enterStopPost(m, f)),
  'stop-post': whenNoMain((m, f) => enterSignal(m, 'final-sigterm', f)),
  'final-watchdog': whenNoMain((m, f) => enterDead(m, f, true)),
  'final-sigterm': whenNoMain((m, f) => enterDead(m, f, true)),
  'final-sigkill': whenNoMain((m, f) => enterDead(m, f, true)),
  failed: impossible('control process exit'),
  'auto-restart': impossible('control process exit'),
};

export function mainExited(m: Step, exit: ProcessExit): void {
  let f = classifyExit(exit, m.cfg.type === 'oneshot' ? 'command' : 'daemon', m.cfg.successExitStatus);
  m.s.mainPid = undefined;
  m.s.execMain = { pid: m.s.execMain.pid, exit };
  const index = m.s.mainCommand;
  // "-" on ExecStart= also covers a forked daemon's exit.
  if (m.cfg.execStart[index ?? 0]?.ignoreFailure) f = 'success';
  const log = processExitLog('Main process', f === 'success', exit);
  m.log(log.level, log.message);
  m.recordResult(f);
  if (index !== undefined && index + 1 < m.cfg.execStart.length && m.cfg.type === 'oneshot' && f === 'success') {
    return spawn(m, 'main', 'start', index + 1, m.cfg.timeoutStartUsec);
  }
  m.s.mainCommand = undefined;
  // ExitType=cgroup: the service lives on while any of its processes does.
  if (m.cfg.exitType === 'main' || !m.cgroupGood()) ON_MAIN_EXIT[m.sub](m, f);
}

export function controlExited(m: Step, exit: ProcessExit): void {
  let f = classifyExit(exit, 'command', m.cfg.successExitStatus);
  m.s.controlPid = undefined;
  const running = m.s.controlCommand;
  const list = running ? m.commands(running.phase) : [];
  if (running && list[running.index]?.ignoreFailure) f = 'success';
  let success = f === 'success';
  if (m.sub === 'condition') {
    // ExecCondition= exiting 1..254 skips the unit; 255 and deaths by signal fail it.
    if (f === 'exit-code' && exit.status < 255) {
      f = 'exec-condition';
      success = true;
    }
  }
  const log = processExitLog(m.sub === 'condition' ? 'Condition check process' : 'Control process', success, exit);
  m.log(log.level, log.message);
  if (m.sub !== 'reload') m.recordResult(f);
  if (running && running.index + 1 < list.length && f === 'success') return runNextControl(m, running.phase, running.index + 1);
  m.s.controlCommand = undefined;
  ON_CONTROL_EXIT[m.sub](m, f);
}

function runNextControl(m: Step, phase: Parameters<typeof spawn>[2], index: number): void {
  const starting = ['condition', 'start-pre', 'start', 'start-post', 'running', 'reload'].includes(m.sub);
  spawn(m, 'control', phase, index, starting ? m.cfg.timeoutStartUsec : m.cfg.timeoutStopUsec);
}

/**
 * exec-failed: systemd's child exits with 203/EXEC (or the given status). It logged why itself ("Failed to
 * locate executable ...", "Failed at step EXEC spawning ..."): process/ reports those lines, not the machine.
 */
export function execFailed(m: Step, role: ProcessRole, _path: string, _message: string, status = 203): void {
  const exit: ProcessExit = { code: 'exited', status };
  if (role === 'main') mainExited(m, exit);
  else controlExited(m, exit);
}

/** systemd's task names in "Failed to run '...' task". */
const TASK_NAME = {
  condition: 'exec-condition',
  'start-pre': 'start-pre',
  start: 'start',
  'start-post': 'start-post',
  reload: 'reload',
  'stop-pre': 'stop-pre',
  stop: 'stop',
  'stop-post': 'stop-post',
} as const;

/** spawn-failed: the "fail:" branch of the service_enter_*() that spawned it (or of run_next_*). */
export function spawnFailed(m: Step, role: ProcessRole, message: string, cause?: string): void {
  const phase = role === 'main' ? 'start' : m.s.controlCommand?.phase;
  const index = role === 'main' ? (m.s.mainCommand ?? 0) : (m.s.controlCommand?.index ?? 0);
  if (role === 'main') m.s.mainPid = undefined;
  else m.s.controlPid = undefined;
  if (phase === undefined) return;
  if (cause !== undefined) m.log('error', cause);
  const first = index === 0;
  const what = first ? `'${TASK_NAME[phase]}' task` : role === 'main' ? 'next main task' : 'next control task';
  m.log('warning', `Failed to run ${what}: ${message}`);
  const f: ServiceResult = 'resources';
  switch (phase) {
    case 'condition':
    case 'start-pre':
      return first ? enterDead(m, f, true) : enterSignal(m, 'stop-sigterm', f);
    case 'start':
      return first || role === 'control' ? enterSignal(m, 'stop-sigterm', f) : enterStop(m, f);
    case 'start-post':
      return first ? enterStop(m, f) : enterSignal(m, 'stop-sigterm', f);
    case 'reload':
      m.s.reloadResult = f;
      return enterRunning(m, 'success');
    case 'stop':
      return enterSignal(m, 'stop-sigterm', f);
    case 'stop-post':
      return first ? enterSignal(m, 'final-sigterm', f) : enterDead(m, f, true);
  }
}
