// sd_notify(3) messages, PIDFile= answers and main-pid guesses applied to a service, as service_notify_message() and service_load_pid_file() (systemd 252).
import { formatTimespan } from '../unit/values/timespan.js';
import type { NotifyMessage } from './notify-message.js';
import { authorizeNotify, notifyStateRequest, notifyValue } from './notify-message.js';
import type { Step } from './service-runtime.js';
import {
  enterReloadByNotify, enterRunning, enterSignal, enterStartPost, enterStop, enterStopByNotify, resetWatchdog,
  setMainPid, watchdogUsecOf,
} from './service-enter.js';

/** STATUS_TEXT_MAX. */
const STATUS_TEXT_MAX = 3 * 1024;

const parseUnsigned = (s: string): number | undefined => (/^\d+$/.test(s) ? Number(s) : undefined);

export function onNotify(m: Step, pid: number, message: NotifyMessage): void {
  const auth = authorizeNotify(m.cfg.notifyAccess, pid, m.pidOf('main'), m.pidOf('control'));
  if (!auth.ok) return m.log('warning', auth.warning);
  applyMainPid(m, notifyValue(message, 'MAINPID'));
  applyStateRequest(m, message);
  applyStatus(m, message);
  const extend = notifyValue(message, 'EXTEND_TIMEOUT_USEC');
  if (extend !== undefined) {
    const usec = parseUnsigned(extend);
    if (usec === undefined) m.log('warning', `Failed to parse EXTEND_TIMEOUT_USEC=${extend}`);
    else extendTimeout(m, usec);
  }
  const watchdog = notifyValue(message, 'WATCHDOG');
  if (watchdog === '1') resetWatchdog(m);
  else if (watchdog === 'trigger') forceWatchdog(m);
  else if (watchdog !== undefined) m.log('warning', 'Passed WATCHDOG= field is invalid, ignoring.');
  const override = notifyValue(message, 'WATCHDOG_USEC');
  if (override !== undefined) {
    const usec = parseUnsigned(override);
    if (usec === undefined) m.log('warning', `Failed to parse WATCHDOG_USEC=${override}`);
    else {
      m.s.watchdogOverrideUsec = usec;
      resetWatchdog(m);
    }
  }
}

function applyMainPid(m: Step, value: string | undefined): void {
  if (value === undefined || !['start', 'start-post', 'running'].includes(m.sub)) return;
  const pid = parseUnsigned(value);
  if (pid === undefined || pid <= 0) return m.log('warning', `Failed to parse MAINPID= field in notification message, ignoring: ${value}`);
  if (m.s.mainPidKnown && pid === m.s.mainPid) return;
  if (pid === 1) return m.log('warning', `New main PID ${pid} is the manager, refusing.`);
  if (pid === m.pidOf('control')) return m.log('warning', `New main PID ${pid} is the control process, refusing.`);
  if (m.ctx.pidBelongsToUnit?.(pid) === false) return m.log('warning', `New main PID ${pid} does not belong to service, refusing.`);
  setMainPid(m, pid);
}

function applyStateRequest(m: Step, message: NotifyMessage): void {
  const request = notifyStateRequest(message);
  if (request === undefined) return;
  m.s.notifyState = request;
  if (request === 'ready') {
    if ((m.cfg.type === 'notify' || m.cfg.type === 'notify-reload') && m.sub === 'start') enterStartPost(m);
    // READY=1 during a reload says the reload is complete.
    if (m.sub === 'reload' && m.s.controlPid === undefined) enterRunning(m, 'success');
  } else if (request === 'reloading') {
    if (m.sub === 'running') enterReloadByNotify(m);
  } else if (m.sub === 'running') enterStopByNotify(m);
}

function applyStatus(m: Step, message: NotifyMessage): void {
  const status = notifyValue(message, 'STATUS');
  if (status !== undefined) {
    if (status.length > STATUS_TEXT_MAX) m.log('warning', `Status message overly long (${status.length} > ${STATUS_TEXT_MAX}), ignoring.`);
    else m.s.statusText = status === '' ? undefined : status;
  }
  const errno = notifyValue(message, 'ERRNO');
  if (errno !== undefined) {
    const n = parseUnsigned(errno);
    if (n === undefined) m.log('warning', `Failed to parse ERRNO= field value '${errno}' in notification message: Invalid argument`);
    else m.s.statusErrno = n;
  }
}

/** service_extend_timeout(): push the state timer and the watchdog out, never in. */
function extendTimeout(m: Step, usec: number): void {
  if (usec === 0 || !Number.isFinite(usec)) return;
  const extended = m.ctx.now + usec;
  for (const timer of ['state', 'watchdog'] as const) {
    const deadline = m.s.timers[timer];
    if (deadline !== undefined && extended > deadline) m.armTimer(timer, usec);
  }
}

/** WATCHDOG=trigger. */
function forceWatchdog(m: Step): void {
  m.log('error', `Watchdog request (last status: ${m.s.statusText ?? 'n/a'})!`);
  enterSignal(m, 'stop-watchdog', 'watchdog');
}

/**
 * A probe's verdict. Readiness passing is READY=1 for a simple/exec service; readiness failing
 * Threshold= times fails the start as a start timeout would; a failing health check is a watchdog
 * timeout, so the Restart= table treats both alike (Result=watchdog).
 */
export function onProbe(m: Step, probe: 'readiness' | 'health', passed: boolean, message: string): void {
  if (probe === 'readiness') {
    if (m.sub !== 'start' || m.cfg.readiness === undefined || typeof m.s.mainPid !== 'number') return;
    if (passed) return enterStartPost(m);
    m.log('error', message);
    return enterSignal(m, 'stop-sigterm', 'timeout');
  }
  if (passed || m.sub !== 'running' || m.cfg.healthCheck === undefined) return;
  m.log('error', message);
  enterSignal(m, 'stop-watchdog', 'watchdog');
}

export function onWatchdogTimeout(m: Step): void {
  m.log('error', `Watchdog timeout (limit ${formatTimespan(watchdogUsecOf(m), 1)})!`);
  enterSignal(m, 'stop-watchdog', 'watchdog');
}

/** The answer to read-pid-file: service_load_pid_file() and, when it is missing, service_demand_pid_file(). */
export function onPidFile(m: Step, pid: number | undefined, error: string | undefined, refusal?: string): void {
  const state = m.s.state;
  if ((state.sub !== 'start' && state.sub !== 'start-post') || state.pidFile === undefined) return;
  const path = m.cfg.pidFile ?? '';
  if (pid !== undefined && pid === m.pidOf('control')) {
    error = undefined;
    m.log('warning', `New main PID ${pid} is the control process, refusing.`);
    pid = undefined;
  }
  if (pid !== undefined) {
    setMainPid(m, pid);
    // A PID file that appears later (demand) completes the start at once (service_retry_pid_file()).
    if (state.pidFile === 'demand' || state.sub === 'start-post') return enterRunning(m, 'success');
    return enterStartPost(m);
  }
  if (state.pidFile === 'demand') return;
  const hasStartPost = m.cfg.execStartPost.length > 0;
  const mayWarn = state.sub === 'start-post' || !hasStartPost;
  if (error !== undefined) m.log(mayWarn ? 'info' : 'debug', `Can't open PID file ${path} (yet?) after ${state.sub}: ${error}`);
  // "New main PID ... refusing." and parse failures are whole lines of service_load_pid_file() (same priority).
  if (refusal !== undefined) m.log(mayWarn ? 'info' : 'debug', refusal);
  // The PID file may be written by ExecStartPost=.
  if (state.sub === 'start' && hasStartPost) return enterStartPost(m);
  if (!m.cgroupGood()) {
    return state.sub === 'start' ? enterSignal(m, 'stop-sigterm', 'protocol') : enterStop(m, 'protocol');
  }
  m.effects.push({ kind: 'read-pid-file', path, watch: true });
  m.setState({ sub: state.sub, pidFile: 'demand' });
}

/** main-pid-guessed: adopt the guess only if nothing better turned up meanwhile. */
export function onMainPidGuessed(m: Step, pid: number | undefined): void {
  if (pid === undefined || m.s.mainPidKnown || pid === m.pidOf('control')) return;
  if (!['start', 'start-post', 'running', 'reload'].includes(m.sub)) return;
  setMainPid(m, pid);
}
