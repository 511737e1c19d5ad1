// systemd 252's defaults for [Unit], [Service], systemd.exec(5) and systemd.kill(5) settings.
import { USEC_INFINITY, USEC_PER_MSEC, USEC_PER_SEC, type Usec } from '../../common/clock.js';
import { emptyDependencies } from '../dependencies.js';
import { CAP_ALL } from '../values/capability.js';
import type { ExecContext, ExecDirectory, ProcessAttributes, ExitStatusSet, InstallSection, KillContext, ServiceSection, SocketSection, TimerSection, UnitSection } from '../model.js';

/** DefaultTimeoutStartSec= / DefaultTimeoutStopSec= of system.conf. */
export const DEFAULT_TIMEOUT_USEC = 90 * USEC_PER_SEC;
/** DefaultRestartSec=. */
export const DEFAULT_RESTART_USEC = 100 * USEC_PER_MSEC;
/** DefaultStartLimitIntervalSec= / DefaultStartLimitBurst=. */
export const DEFAULT_START_LIMIT_INTERVAL_USEC = 10 * USEC_PER_SEC;
export const DEFAULT_START_LIMIT_BURST = 5;

const SIGABRT = 6;
const SIGKILL = 9;
const SIGTERM = 15;

/** systemd.timer(5): AccuracySec= defaults to one minute, RemainAfterElapse= to yes. */
export function defaultTimerSection(): TimerSection {
  return {
    values: [],
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
    documentation: [],
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
    conditions: [],
    asserts: [],
    sourcePath: undefined,
  };
}

const noDirectory: ExecDirectory = { entries: [], mode: 0o755 };

/** The system manager's defaults (KeyringMode=private for system services, IgnoreSIGPIPE=yes). */
export function defaultProcessAttributes(): ProcessAttributes {
  return {
    // DefaultLimitNOFILE=1024:524288: select() stays safe unless a service asks for more.
    limits: { NOFILE: { soft: 1024, hard: 524288 } },
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
    environment: [],
    environmentFiles: [],
    passEnvironment: [],
    unsetEnvironment: [],
    workingDirectory: undefined,
    user: undefined,
    group: undefined,
    supplementaryGroups: [],
    umask: 0o022,
    standardInput: { kind: 'null' },
    standardOutput: { kind: 'journal' },
    standardError: undefined,
    syslogIdentifier: undefined,
    directories: { runtime: noDirectory, state: noDirectory, cache: noDirectory, logs: noDirectory, configuration: noDirectory },
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
    readWritePaths: [],
    readOnlyPaths: [],
    inaccessiblePaths: [],
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

const emptyExitStatusSet = (): ExitStatusSet => ({ statuses: [], signals: [] });

/** [Service] defaults as they stand before Type=-dependent fix-ups (see service-fixups.ts). */
export function defaultServiceSection(): ServiceSection {
  return {
    type: 'simple',
    exitType: 'main',
    remainAfterExit: false,
    guessMainPID: true,
    pidFile: undefined,
    busName: undefined,
    execCondition: [],
    execStartPre: [],
    execStart: [],
    execStartPost: [],
    execReload: [],
    execStop: [],
    execStopPost: [],
    restart: 'no',
    restartUsec: DEFAULT_RESTART_USEC,
    restartPreventExitStatus: emptyExitStatusSet(),
    restartForceExitStatus: emptyExitStatusSet(),
    successExitStatus: emptyExitStatusSet(),
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
    watchPaths: [],
    watchIgnore: [],
    exec: defaultExecContext(),
    kill: defaultKillContext(),
  };
}

/** [Socket] defaults (socket_init(): Backlog=SOMAXCONN_DELUXE, MaxConnections=64, modes 0666/0755). */
export function defaultSocketSection(): SocketSection {
  return {
    listen: [],
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
    execStartPre: [],
    execStartPost: [],
    execStopPre: [],
    execStopPost: [],
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
  return { wantedBy: [], requiredBy: [], upheldBy: [], alias: [], also: [], defaultInstance: undefined };
}
