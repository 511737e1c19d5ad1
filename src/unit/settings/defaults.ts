// systemd 252's defaults for [Unit], [Service], systemd.exec(5) and systemd.kill(5) settings.
import { USEC_INFINITY, USEC_PER_MSEC, USEC_PER_SEC, type Usec } from '../../common/clock.js';
import { exactList } from '../../common/exact-list.js';
import { emptyDependencies } from '../dependencies.js';
import { CAP_ALL } from '../values/capability.js';
import type { DeclaredDependencies, ForwardDependency, ExecContext, ExecDirectory, ProcessAttributes, ExitStatusSet, InstallSection, KillContext, ServiceSection, SocketSection, TimerSection, UnitSection } from '../model.js';

/** DefaultTimeoutStartSec= / DefaultTimeoutStopSec= of system.conf. */
export const DEFAULT_TIMEOUT_USEC = 90 * USEC_PER_SEC;
/** DefaultRestartSec=. */
export const DEFAULT_RESTART_USEC = 100 * USEC_PER_MSEC;
/** DefaultStartLimitIntervalSec= / DefaultStartLimitBurst=. */
export const DEFAULT_START_LIMIT_INTERVAL_USEC = 10 * USEC_PER_SEC;
export const DEFAULT_START_LIMIT_BURST = 5;

/**
 * What units leave unset is shared, not copied: one frozen empty list, one default of each small record.
 * The model is readonly, and a setting replaces its value rather than changing it, so that 500 units hold
 * their own settings only (dozens of empty lists each otherwise).
 */
export const NO_ITEMS: readonly never[] = Object.freeze([]);
const NO_EXIT_STATUSES: ExitStatusSet = Object.freeze({ statuses: NO_ITEMS, signals: NO_ITEMS });
// DefaultLimitNOFILE=1024:524288: select() stays safe unless a service asks for more.
const DEFAULT_LIMITS: ProcessAttributes['limits'] = Object.freeze({ NOFILE: Object.freeze({ soft: 1024, hard: 524288 }) });
const NULL_INPUT: ExecContext['standardInput'] = Object.freeze({ kind: 'null' });
const JOURNAL_OUTPUT: ExecContext['standardOutput'] = Object.freeze({ kind: 'journal' });

const SIGABRT = 6;
const SIGKILL = 9;
const SIGTERM = 15;

/** systemd.timer(5): AccuracySec= defaults to one minute, RemainAfterElapse= to yes. */
export function defaultTimerSection(): TimerSection {
  return {
    values: NO_ITEMS,
    accuracyUsec: 60 * USEC_PER_SEC,
    randomizedDelayUsec: 0,
    fixedRandomDelay: false,
    onClockChange: false,
    onTimezoneChange: false,
    persistent: false,
    wakeSystem: false,
    remainAfterElapse: true,
    unit: undefined,
  };
}

export function defaultUnitSection(): UnitSection {
  return {
    description: undefined,
    documentation: NO_ITEMS,
    dependencies: emptyDependencies(),
    defaultDependencies: true,
    stopWhenUnneeded: false,
    refuseManualStart: false,
    refuseManualStop: false,
    allowIsolate: false,
    ignoreOnIsolate: false,
    onFailureJobMode: 'replace',
    collectMode: 'inactive',
    jobTimeoutUsec: USEC_INFINITY,
    jobRunningTimeoutUsec: USEC_INFINITY,
    jobTimeoutAction: 'none',
    startLimitIntervalUsec: DEFAULT_START_LIMIT_INTERVAL_USEC,
    startLimitBurst: DEFAULT_START_LIMIT_BURST,
    startLimitAction: 'none',
    successAction: 'none',
    failureAction: 'none',
    successActionExitStatus: undefined,
    failureActionExitStatus: undefined,
    conditions: NO_ITEMS,
    asserts: NO_ITEMS,
    sourcePath: undefined,
  };
}

const noDirectory: ExecDirectory = Object.freeze({ entries: NO_ITEMS, mode: 0o755 });
const NO_DIRECTORIES: ExecContext['directories'] = Object.freeze({ runtime: noDirectory, state: noDirectory, cache: noDirectory, logs: noDirectory, configuration: noDirectory });

/** The system manager's defaults (KeyringMode=private for system services, IgnoreSIGPIPE=yes). */
export function defaultProcessAttributes(): ProcessAttributes {
  return {
    limits: DEFAULT_LIMITS,
    nice: undefined,
    oomScoreAdjust: undefined,
    ioScheduling: undefined,
    cpuScheduling: undefined,
    noNewPrivileges: false,
    capabilityBoundingSet: CAP_ALL,
    ambientCapabilities: 0n,
    secureBits: 0,
    keyringMode: 'private',
    ignoreSIGPIPE: true,
    ttyPath: undefined,
    ttyReset: false,
    ttyVHangup: false,
    ttyVTDisallocate: false,
  };
}

export function defaultExecContext(): ExecContext {
  return {
    environment: NO_ITEMS,
    environmentFiles: NO_ITEMS,
    passEnvironment: NO_ITEMS,
    unsetEnvironment: NO_ITEMS,
    workingDirectory: undefined,
    user: undefined,
    group: undefined,
    supplementaryGroups: NO_ITEMS,
    umask: 0o022,
    standardInput: NULL_INPUT,
    standardOutput: JOURNAL_OUTPUT,
    standardError: undefined,
    syslogIdentifier: undefined,
    directories: NO_DIRECTORIES,
    runtimeDirectoryPreserve: 'no',
    ...defaultProcessAttributes(),
    privateTmp: false,
    privateDevices: false,
    syscallFilter: undefined,
    syscallErrorNumber: 'kill',
    addressFamilies: undefined,
    memoryDenyWriteExecute: false,
    protectSystem: 'no',
    protectHome: 'no',
    readWritePaths: NO_ITEMS,
    readOnlyPaths: NO_ITEMS,
    inaccessiblePaths: NO_ITEMS,
    protectKernelTunables: false,
    protectControlGroups: false,
  };
}

export function defaultKillContext(): KillContext {
  return {
    killMode: 'control-group',
    killSignal: SIGTERM,
    restartKillSignal: undefined,
    finalKillSignal: SIGKILL,
    watchdogSignal: SIGABRT,
    sendSIGKILL: true,
    sendSIGHUP: false,
  };
}

/** [Service] defaults as they stand before Type=-dependent fix-ups (see service-fixups.ts). */
export function defaultServiceSection(): ServiceSection {
  return {
    type: 'simple',
    exitType: 'main',
    remainAfterExit: false,
    guessMainPID: true,
    pidFile: undefined,
    busName: undefined,
    execCondition: NO_ITEMS,
    execStartPre: NO_ITEMS,
    execStart: NO_ITEMS,
    execStartPost: NO_ITEMS,
    execReload: NO_ITEMS,
    execStop: NO_ITEMS,
    execStopPost: NO_ITEMS,
    restart: 'no',
    restartUsec: DEFAULT_RESTART_USEC,
    restartPreventExitStatus: NO_EXIT_STATUSES,
    restartForceExitStatus: NO_EXIT_STATUSES,
    successExitStatus: NO_EXIT_STATUSES,
    timeoutStartUsec: DEFAULT_TIMEOUT_USEC,
    timeoutStopUsec: DEFAULT_TIMEOUT_USEC,
    timeoutAbortUsec: DEFAULT_TIMEOUT_USEC,
    timeoutStartFailureMode: 'terminate',
    timeoutStopFailureMode: 'terminate',
    runtimeMaxUsec: USEC_INFINITY,
    watchdogUsec: 0,
    notifyAccess: 'none',
    readiness: undefined,
    healthCheck: undefined,
    watchPaths: NO_ITEMS,
    watchIgnore: NO_ITEMS,
    exec: defaultExecContext(),
    kill: defaultKillContext(),
  };
}

/** [Socket] defaults (socket_init(): Backlog=SOMAXCONN_DELUXE, MaxConnections=64, modes 0666/0755). */
export function defaultSocketSection(): SocketSection {
  return {
    listen: NO_ITEMS,
    accept: false,
    service: undefined,
    socketMode: 0o666,
    directoryMode: 0o755,
    socketUser: undefined,
    socketGroup: undefined,
    backlog: 2147483647,
    reusePort: false,
    bindIPv6Only: 'default',
    noDelay: false,
    keepAlive: false,
    maxConnections: 64,
    removeOnStop: false,
    fileDescriptorName: undefined,
    timeoutUsec: DEFAULT_TIMEOUT_USEC,
    triggerLimitIntervalUsec: undefined,
    triggerLimitBurst: undefined,
    execStartPre: NO_ITEMS,
    execStartPost: NO_ITEMS,
    execStopPre: NO_ITEMS,
    execStopPost: NO_ITEMS,
    exec: defaultExecContext(),
    kill: defaultKillContext(),
  };
}

/**
 * The trigger rate limit of a socket (socket_add_extras()): 2s unless set, and a burst of 20 activations for
 * Accept=no (its service takes whatever is queued in one go) or 200 for Accept=yes (one service per connection).
 */
export function socketTriggerLimit(s: SocketSection): { readonly intervalUsec: Usec; readonly burst: number } {
  return { intervalUsec: s.triggerLimitIntervalUsec ?? 2 * USEC_PER_SEC, burst: s.triggerLimitBurst ?? (s.accept ? 200 : 20) };
}

export function defaultInstallSection(): InstallSection {
  return { wantedBy: NO_ITEMS, requiredBy: NO_ITEMS, upheldBy: NO_ITEMS, alias: NO_ITEMS, also: NO_ITEMS, defaultInstance: undefined };
}

const DEFAULT_EXEC = Object.freeze(defaultExecContext());
const DEFAULT_KILL = Object.freeze(defaultKillContext());

/** `value`, or the shared `canonical` record when every field is the same (see NO_ITEMS). */
function sharedIfSame<T extends object>(value: T, canonical: T): T {
  for (const key of Object.keys(canonical) as (keyof T)[]) if (!Object.is(value[key], canonical[key])) return value;
  return Object.keys(value).length === Object.keys(canonical).length ? canonical : value;
}

/** The exec settings a unit ends up with: the shared default when it sets none of them. */
export const sharedExecContext = (exec: ExecContext): ExecContext => sharedIfSame(exec, DEFAULT_EXEC);
/** The kill settings a unit ends up with: the shared default when it sets none of them. */
export const sharedKillContext = (kill: KillContext): KillContext => sharedIfSame(kill, DEFAULT_KILL);
/** A list at its exact size, or the shared empty one. */
export const sharedList = <T>(items: readonly T[]): readonly T[] => (items.length === 0 ? NO_ITEMS : exactList(items));

/** The dependencies of a unit that declares none. */
export const NO_DEPENDENCIES: DeclaredDependencies = Object.freeze(sharedLists(emptyDependencies()));

/** Each empty list of `deps` replaced by the shared one. */
export function sharedLists(deps: Record<ForwardDependency, readonly string[]>): DeclaredDependencies {
  const out = { ...deps };
  for (const kind of Object.keys(out) as ForwardDependency[]) out[kind] = sharedList(out[kind]);
  return out;
}
