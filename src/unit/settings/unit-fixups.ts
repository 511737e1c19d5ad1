// What systemd does after parsing: Type=-dependent defaults (service_add_extras), checks (service_verify, unit_verify), freezing.
import type { Diagnostic } from '../diagnostic.js';
import { error, warning } from '../diagnostic.js';
import { USEC_INFINITY } from '../../common/clock.js';
import type { UnitConfig, UnitType } from '../model.js';
import type { UnitDraft } from './unit-draft.js';
import { NO_DEPENDENCIES, sharedExecContext, sharedKillContext, sharedList, sharedLists } from './defaults.js';
import { UNHONOURED_LISTEN_KEYS } from './unsupported.js';
import { CAPABILITY_NAMES } from '../values/capability.js';

const capabilityBit = (name: string): bigint => 1n << BigInt(CAPABILITY_NAMES.indexOf(name));

/** Defaults that depend on other settings (service.c service_add_extras, service_fix_stdio). */
export function applyServiceFixups(draft: UnitDraft): void {
  const s = draft.service;
  if (!draft.explicit.has('Type')) {
    // "If ... ExecStart= is not specified, Type=oneshot"; BusName= alone implies Type=dbus.
    s.type = s.busName !== undefined ? 'dbus' : s.execStart.length > 0 ? 'simple' : 'oneshot';
  }
  // "Oneshot services have disabled start timeout by default".
  if (s.type === 'oneshot' && !draft.explicit.has('TimeoutStartSec')) s.timeoutStartUsec = USEC_INFINITY;
  if (!draft.explicit.has('TimeoutAbortSec')) s.timeoutAbortUsec = s.timeoutStopUsec;
  if ((s.type === 'notify' || s.type === 'notify-reload' || s.watchdogUsec > 0) && s.notifyAccess === 'none') {
    s.notifyAccess = 'main';
  }
  fixStdio(draft);
  patchExecContext(draft);
}

/** unit_patch_contexts(): PrivateDevices=yes takes CAP_MKNOD and CAP_SYS_RAWIO out of the bounding set. */
function patchExecContext(draft: UnitDraft): void {
  const e = draft.service.exec;
  if (e.privateDevices) e.capabilityBoundingSet &= ~(capabilityBit('cap_mknod') | capabilityBit('cap_sys_rawio'));
}

/** The socket's own Exec*= lines log to the journal as a service's do. */
export function applySocketFixups(draft: UnitDraft): void {
  fixStdio(draft);
  patchExecContext(draft);
}

/** A terminal or socket on stdin keeps stdout/stderr on it; otherwise "inherit" means the manager's default, the journal. */
function fixStdio(draft: UnitDraft): void {
  const e = draft.service.exec;
  if (e.standardInput.kind === 'tty' || e.standardInput.kind === 'socket') {
    if (!draft.explicit.has('StandardOutput')) e.standardOutput = { kind: 'inherit' };
    return;
  }
  if (e.standardOutput.kind === 'inherit') e.standardOutput = { kind: 'journal' };
}

type Check = (draft: UnitDraft) => string | undefined;

/** service_verify(): each failing check refuses the unit (bad-setting), in systemd's order and words. */
const SERVICE_CHECKS: readonly Check[] = [
  (d) =>
    d.service.execStart.length === 0 && d.service.execStop.length === 0 && d.unit.successAction === 'none'
      ? 'Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.'
      : undefined,
  (d) =>
    d.service.type !== 'oneshot' && d.service.execStart.length === 0
      ? 'Service has no ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.'
      : undefined,
  (d) =>
    !d.service.remainAfterExit && d.service.execStart.length === 0 && d.unit.successAction === 'none'
      ? 'Service has no ExecStart= and no SuccessAction= settings and does not have RemainAfterExit=yes set. Refusing.'
      : undefined,
  (d) =>
    d.service.type !== 'oneshot' && d.service.execStart.length > 1
      ? 'Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.'
      : undefined,
  (d) =>
    d.service.type === 'oneshot' && (d.service.restart === 'always' || d.service.restart === 'on-success')
      ? "Service has Restart= set to either always or on-success, which isn't allowed for Type=oneshot services. Refusing."
      : undefined,
  (d) =>
    d.service.type === 'oneshot' && d.service.exitType === 'cgroup'
      ? "Service has ExitType=cgroup set, which isn't allowed for Type=oneshot services. Refusing."
      : undefined,
  (d) =>
    d.service.type === 'dbus' && d.service.busName === undefined
      ? 'Service is of type D-Bus but no D-Bus service name has been specified. Refusing.'
      : undefined,
  // unitvisor's own refusal (isUnitvisorRefusal): it cannot watch a bus name appear, so such a start could never complete.
  (d) =>
    d.service.type === 'dbus' ? "Setting 'Type=dbus' is not supported by unitvisor (needs D-Bus). Refusing." : undefined,
];

/** A refusal of unitvisor's own, for what systemd would run: "Setting 'X' is not supported by unitvisor (why). Refusing." */
export const isUnitvisorRefusal = (message: string): boolean => /^Setting '[^']+' is not supported by unitvisor \([^)]+\)\. Refusing\.$/.test(message);

/** Stream and sequential-packet sockets can accept connections; datagram sockets and FIFOs cannot. */
const canAccept = (d: UnitDraft): boolean => d.socket.listen.every((l) => l.type === 'Stream' || l.type === 'SequentialPacket');

/** socket_verify(), in systemd's order and words. */
const SOCKET_CHECKS: readonly Check[] = [
  (d) => (d.socket.listen.length === 0 && !UNHONOURED_LISTEN_KEYS.some((k) => d.explicit.has(k)) ? 'Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.' : undefined),
  (d) => (d.socket.accept && !canAccept(d) ? 'Unit configured for accepting sockets, but sockets are non-accepting. Refusing.' : undefined),
  (d) => (d.socket.accept && d.socket.maxConnections <= 0 ? 'MaxConnection= setting too small. Refusing.' : undefined),
  (d) => (d.socket.accept && d.socket.service !== undefined ? 'Explicit service configuration for accepting socket units not supported. Refusing.' : undefined),
];

/** timer_verify(). */
const TIMER_CHECKS: readonly Check[] = [
  (d) => (d.timer.values.length === 0 && !d.timer.onClockChange && !d.timer.onTimezoneChange ? 'Timer unit lacks value setting. Refusing.' : undefined),
];

const TYPE_CHECKS: Readonly<Record<UnitType, readonly Check[]>> = { service: SERVICE_CHECKS, target: [], socket: SOCKET_CHECKS, timer: TIMER_CHECKS };

/** unit_verify()/unit_load() checks every unit type shares. */
const UNIT_CHECKS: readonly Check[] = [
  (d) =>
    d.unit.onFailureJobMode === 'isolate' && d.unit.dependencies.OnFailure.length > 1
      ? 'More than one OnFailure= dependencies specified but OnFailureJobMode=isolate set. Refusing.'
      : undefined,
];


/** Warnings that do not refuse the unit. */
function unitWarnings(d: UnitDraft, type: UnitType): string[] {
  const out: string[] = [];
  const exitActions = ['exit', 'exit-force'];
  if (d.unit.jobRunningTimeoutUsec !== USEC_INFINITY && d.unit.jobRunningTimeoutUsec > d.unit.jobTimeoutUsec) {
    out.push('JobRunningTimeoutSec= is greater than JobTimeoutSec=, it has no effect.');
  }
  if (d.unit.successActionExitStatus !== undefined && !exitActions.includes(d.unit.successAction)) {
    out.push('SuccessActionExitStatus= set, but SuccessAction= not set to exit or exit-force. Ignoring.');
  }
  if (d.unit.failureActionExitStatus !== undefined && !exitActions.includes(d.unit.failureAction)) {
    out.push('FailureActionExitStatus= set, but FailureAction= not set to exit or exit-force. Ignoring.');
  }
  if (type === 'service' && d.service.type === 'oneshot' && d.service.runtimeMaxUsec !== USEC_INFINITY) {
    out.push('RuntimeMaxSec= has no effect in combination with Type=oneshot. Ignoring.');
  }
  return out;
}

/** Runs the checks; messages name the unit, as systemd's log_unit_*() does (line 0). */
export function verifyUnit(draft: UnitDraft, type: UnitType, name: string): { refused: boolean; diagnostics: Diagnostic[] } {
  const checks = [...UNIT_CHECKS, ...TYPE_CHECKS[type]];
  for (const check of checks) {
    const refusal = check(draft);
    if (refusal !== undefined) return { refused: true, diagnostics: [error(name, 0, refusal)] };
  }
  return { refused: false, diagnostics: unitWarnings(draft, type).map((m) => warning(name, 0, m)) };
}

type UnitMeta = Pick<UnitConfig, 'id' | 'aliases' | 'loadState' | 'loadError' | 'refusedHere' | 'settings' | 'fragmentPath' | 'dropInPaths' | 'instance'>;

/** The draft as the readonly model; what the unit leaves unset is shared with every other unit (defaults.ts). */
export function freezeDraft(draft: UnitDraft, type: UnitType, meta: UnitMeta): UnitConfig {
  const exec = sharedExecContext({ ...draft.service.exec });
  const kill = sharedKillContext({ ...draft.service.kill });
  const declared = Object.values(draft.unit.dependencies).some((names) => names.length > 0);
  const dependencies = declared ? sharedLists(draft.unit.dependencies) : NO_DEPENDENCIES;
  return {
    ...meta,
    aliases: sharedList(meta.aliases),
    dropInPaths: sharedList(meta.dropInPaths),
    type,
    unit: { ...draft.unit, dependencies },
    // A spread of the whole draft, not a rest pattern leaving out exec and kill: V8 builds a rest object
    // key by key, past a dozen keys in dictionary mode, and the copy of it then gets a hidden class of its
    // own (800 bytes per service); a spread copies the draft's shared hidden class.
    service: type === 'service' ? { ...draft.service, exec, kill } : undefined,
    socket: type === 'socket' ? { ...draft.socket, exec, kill } : undefined,
    timer: type === 'timer' ? { ...draft.timer } : undefined,
    install: { ...draft.install },
  };
}
