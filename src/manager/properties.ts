// `systemctl show` properties of a unit, with systemd's names, value formats and order
// (org.freedesktop.systemd1.Service / .Unit D-Bus properties as systemctl prints them).
import type { ExecCommand, ServiceSection, SocketSection, StandardInput, StandardOutput, UnitConfig } from '../unit/model.js';
import { EXEC_DIRECTORY_TYPES, type ExecContext } from '../unit/model.js';
import { formatCapabilitySet } from '../unit/values/capability.js';
import { formatRlimitValue, RLIMITS } from '../unit/values/rlimit.js';
import { DIRECTORY_SETTING } from '../unit/settings/exec-directories.js';
import { formatTimespan } from '../unit/values/timespan.js';
import { formatBoolean } from '../unit/values/boolean.js';
import { formatExecCommandForShow } from '../unit/values/exec-line.js';
import { formatEnvironmentForShow } from '../unit/values/environment.js';
import { formatTimestamp } from '../common/timestamp.js';
import { SHOW_DEPENDENCY_ORDER, type DependencyKind } from '../unit/dependencies.js';
import type { ProbeStatus } from './probe-runner.js';
import { socketProperties, type SocketFacts } from './socket-properties.js';

/** A command's last run, for ExecStart={ ... pid=... } and status's "Process:" lines. */
export interface ExecRun {
  readonly pid: number;
  readonly startWallMs: number;
  readonly stopWallMs: number | undefined;
  readonly code: 'exited' | 'killed' | 'dumped' | undefined;
  readonly status: number;
}

/** The runtime facts `show` prints beside the configuration. */
export interface RuntimeFacts {
  readonly activeState: string;
  readonly subState: string;
  readonly result: string;
  readonly reloadResult: string;
  readonly mainPid: number;
  readonly controlPid: number;
  readonly statusText: string | undefined;
  readonly statusErrno: number;
  readonly nRestarts: number;
  readonly execMain: { readonly pid: number; readonly startWallMs: number; readonly exitWallMs: number; readonly code: number; readonly status: number };
  readonly execRuns: ReadonlyMap<ExecCommand, ExecRun>;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly invocationId: string;
  readonly unitFileState: string;
  readonly conditionResult: boolean;
  readonly assertResult: boolean;
  readonly conditionWallMs: number;
  readonly assertWallMs: number;
  readonly stateChangeWallMs: number;
  readonly activeEnterWallMs: number;
  readonly activeExitWallMs: number;
  readonly inactiveEnterWallMs: number;
  readonly inactiveExitWallMs: number;
  readonly canReload: boolean;
  readonly needDaemonReload: boolean;
  /** Where bare command names are looked up, when not systemd's fixed PATH (`up`: the user's PATH). */
  readonly execSearchPath: readonly string[];
  /** The unit's settings this host does not enforce (unit/setting-support.ts): NotEnforced=, unitvisor's own property. */
  readonly notEnforced: readonly string[];
  /** WATCHDOG_USEC= sent by the service: WatchdogUSec shows it instead of WatchdogSec= (service_get_watchdog_usec). */
  readonly watchdogOverrideUsec?: number | undefined;
  /** [X-Readiness]/[X-HealthCheck] state, when the unit has them. */
  readonly probes?: { readonly readiness: ProbeStatus | undefined; readonly health: ProbeStatus | undefined };
  /** Sockets: NConnections=, NAccepted= and NRefused=. */
  readonly nConnections?: number;
  readonly nAccepted?: number;
  readonly nRefused?: number;
}

/** unitvisor's own properties for its probe sections (systemd has none), present only where a probe is set. */
function probeProperties(prefix: 'Readiness' | 'Health', p: ProbeStatus | undefined): Property[] {
  if (p === undefined) return [];
  return [
    [`${prefix}Probe`, p.probe],
    [`${prefix}State`, p.state],
    [`${prefix}Failures`, String(p.failures)],
    [`${prefix}LastResult`, p.lastDetail ?? ''],
    [`${prefix}LastTimestamp`, timestamp(p.lastWallMs)],
  ];
}


export type Property = readonly [string, string];

const timestamp = (ms: number) => (ms > 0 ? formatTimestamp(ms) : '');
const yesNo = formatBoolean;
/** ExecMainCode= is the kernel's si_code: CLD_EXITED 1, CLD_KILLED 2, CLD_DUMPED 3. */
export const CLD_CODES = { exited: 1, killed: 2, dumped: 3 } as const;

function formatStdInput(s: StandardInput): string {
  return s.kind === 'file' ? `file:${s.path}` : s.kind;
}

function formatStdOutput(s: StandardOutput): string {
  return 'path' in s ? `${s.kind}:${s.path}` : s.kind;
}

function execProperty(commands: readonly ExecCommand[], runtime: RuntimeFacts): string {
  return commands
    .map((cmd) => {
      const run = runtime.execRuns.get(cmd);
      return formatExecCommandForShow(
        cmd,
        run && {
          pid: run.pid,
          startWallMs: run.startWallMs,
          ...(run.stopWallMs !== undefined ? { stopWallMs: run.stopWallMs } : {}),
          ...(run.code !== undefined ? { code: run.code, status: String(run.status) } : {}),
        },
      );
    })
    .join(' ');
}

const IO_CLASS: Readonly<Record<string, number>> = { none: 0, realtime: 1, 'best-effort': 2, idle: 3 };
const SCHED_POLICY: Readonly<Record<string, number>> = { other: 0, fifo: 1, rr: 2, batch: 3, idle: 5 };

/** Limit*= (hard) and Limit*Soft=, Nice=, ... as systemctl prints them (numbers for classes and policies). */
function processAttributeProperties(e: ExecContext): Property[] {
  const limits = RLIMITS.flatMap((name): Property[] => {
    const limit = e.limits[name];
    return limit ? [[`Limit${name}`, formatRlimitValue(limit.hard)], [`Limit${name}Soft`, formatRlimitValue(limit.soft)]] : [];
  });
  return [
    ...limits,
    ['OOMScoreAdjust', String(e.oomScoreAdjust ?? 0)],
    ['Nice', String(e.nice ?? 0)],
    ['IOSchedulingClass', String(IO_CLASS[e.ioScheduling?.class ?? 'best-effort'])],
    ['IOSchedulingPriority', String(e.ioScheduling?.priority ?? 4)],
    ['CPUSchedulingPolicy', String(SCHED_POLICY[e.cpuScheduling?.policy ?? 'other'])],
    ['CPUSchedulingPriority', String(e.cpuScheduling?.priority ?? 0)],
    ['CPUSchedulingResetOnFork', yesNo(e.cpuScheduling?.resetOnFork ?? false)],
    ['TTYPath', e.ttyPath ?? ''],
    ['TTYReset', yesNo(e.ttyReset)],
    ['TTYVHangup', yesNo(e.ttyVHangup)],
    ['TTYVTDisallocate', yesNo(e.ttyVTDisallocate)],
    ['SecureBits', String(e.secureBits)],
    ['CapabilityBoundingSet', formatCapabilitySet(e.capabilityBoundingSet)],
    ['AmbientCapabilities', formatCapabilitySet(e.ambientCapabilities)],
    ['NoNewPrivileges', yesNo(e.noNewPrivileges)],
    ['KeyringMode', e.keyringMode],
    ['IgnoreSIGPIPE', yesNo(e.ignoreSIGPIPE)],
  ];
}

/** RuntimeDirectoryMode=0755, RuntimeDirectory=a b, ... in systemctl's order. */
function directoryProperties(s: ServiceSection): Property[] {
  return EXEC_DIRECTORY_TYPES.flatMap((type): Property[] => {
    const { entries, mode } = s.exec.directories[type];
    const name = DIRECTORY_SETTING[type];
    return [[`${name}Mode`, mode.toString(8).padStart(4, '0')], [name, entries.map((e) => e.path).join(' ')]];
  });
}

function serviceProperties(s: ServiceSection, r: RuntimeFacts): Property[] {
  const ts = formatTimespan;
  return [
    ['Type', s.type],
    ['ExitType', s.exitType],
    ['Restart', s.restart],
    ['PIDFile', s.pidFile ?? ''],
    ['NotifyAccess', s.notifyAccess],
    ['RestartUSec', ts(s.restartUsec)],
    ['TimeoutStartUSec', ts(s.timeoutStartUsec)],
    ['TimeoutStopUSec', ts(s.timeoutStopUsec)],
    ['TimeoutAbortUSec', ts(s.timeoutAbortUsec)],
    ['TimeoutStartFailureMode', s.timeoutStartFailureMode],
    ['TimeoutStopFailureMode', s.timeoutStopFailureMode],
    ['RuntimeMaxUSec', ts(s.runtimeMaxUsec)],
    ['WatchdogUSec', ts(r.watchdogOverrideUsec ?? s.watchdogUsec)],
    ['RemainAfterExit', yesNo(s.remainAfterExit)],
    ['GuessMainPID', yesNo(s.guessMainPID)],
    ['MainPID', String(r.mainPid)],
    ['ControlPID', String(r.controlPid)],
    ['StatusText', r.statusText ?? ''],
    ['StatusErrno', String(r.statusErrno)],
    ['Result', r.result],
    ['ReloadResult', r.reloadResult],
    ['UID', r.uid === undefined ? '[not set]' : String(r.uid)],
    ['GID', r.gid === undefined ? '[not set]' : String(r.gid)],
    ['NRestarts', String(r.nRestarts)],
    ['ExecMainStartTimestamp', timestamp(r.execMain.startWallMs)],
    ['ExecMainExitTimestamp', timestamp(r.execMain.exitWallMs)],
    ['ExecMainPID', String(r.execMain.pid)],
    ['ExecMainCode', String(r.execMain.code)],
    ['ExecMainStatus', String(r.execMain.status)],
    ['ExecCondition', execProperty(s.execCondition, r)],
    ['ExecStartPre', execProperty(s.execStartPre, r)],
    ['ExecStart', execProperty(s.execStart, r)],
    ['ExecStartPost', execProperty(s.execStartPost, r)],
    ['ExecReload', execProperty(s.execReload, r)],
    ['ExecStop', execProperty(s.execStop, r)],
    ['ExecStopPost', execProperty(s.execStopPost, r)],
    ['UMask', s.exec.umask.toString(8).padStart(4, '0')],
    ['Environment', formatEnvironmentForShow(s.exec.environment)],
    ['EnvironmentFiles', s.exec.environmentFiles.map((f) => `${f.path} (ignore_errors=${yesNo(f.optional)})`).join(' ')],
    ['PassEnvironment', s.exec.passEnvironment.join(' ')],
    ['UnsetEnvironment', s.exec.unsetEnvironment.join(' ')],
    ['ExecSearchPath', r.execSearchPath.join(' ')],
    ['WorkingDirectory', s.exec.workingDirectory ? `${s.exec.workingDirectory.optional ? '!' : ''}${s.exec.workingDirectory.path}` : ''],
    ['User', s.exec.user ?? ''],
    ['Group', s.exec.group ?? ''],
    ['SupplementaryGroups', s.exec.supplementaryGroups.join(' ')],
    ['StandardInput', formatStdInput(s.exec.standardInput)],
    ['StandardOutput', formatStdOutput(s.exec.standardOutput)],
    ['StandardError', s.exec.standardError ? formatStdOutput(s.exec.standardError) : 'inherit'],
    ['SyslogIdentifier', s.exec.syslogIdentifier ?? ''],
    ...processAttributeProperties(s.exec),
    ['RuntimeDirectoryPreserve', s.exec.runtimeDirectoryPreserve],
    ...directoryProperties(s),
    ['KillMode', s.kill.killMode],
    ['KillSignal', String(s.kill.killSignal)],
    ['RestartKillSignal', String(s.kill.restartKillSignal ?? s.kill.killSignal)],
    ['FinalKillSignal', String(s.kill.finalKillSignal)],
    ['SendSIGKILL', yesNo(s.kill.sendSIGKILL)],
    ['SendSIGHUP', yesNo(s.kill.sendSIGHUP)],
    ['WatchdogSignal', String(s.kill.watchdogSignal)],
    ...probeProperties('Readiness', r.probes?.readiness),
    ...probeProperties('Health', r.probes?.health),
  ];
}

function socketFacts(s: SocketSection, r: RuntimeFacts): SocketFacts {
  const lists = { ExecStartPre: s.execStartPre, ExecStartPost: s.execStartPost, ExecStopPre: s.execStopPre, ExecStopPost: s.execStopPost };
  return { result: r.result, controlPid: r.controlPid, nConnections: r.nConnections ?? 0, nAccepted: r.nAccepted ?? 0, nRefused: r.nRefused ?? 0, exec: (setting) => execProperty(lists[setting], r) };
}

/** Every property of `config` in systemctl's order; empty values are kept (show hides them unless asked). */
export function unitProperties(
  config: UnitConfig,
  runtime: RuntimeFacts,
  dependencies: (kind: DependencyKind) => readonly string[],
  typeProperties: readonly Property[] = [],
): Property[] {
  const u = config.unit;
  const ts = formatTimespan;
  const props: Property[] = config.service ? serviceProperties(config.service, runtime) : config.socket ? socketProperties(config.socket, socketFacts(config.socket, runtime)) : [...typeProperties];
  props.push(['Id', config.id], ['Names', [config.id, ...config.aliases].join(' ')]);
  for (const kind of SHOW_DEPENDENCY_ORDER) props.push([kind, dependencies(kind).join(' ')]);
  props.push(
    ['Documentation', u.documentation.map((d) => `"${d}"`).join(' ')],
    ['Description', u.description ?? config.id],
    ['LoadState', config.loadState],
    ['ActiveState', runtime.activeState],
    ['SubState', runtime.subState],
    ['FragmentPath', config.fragmentPath ?? ''],
    ['DropInPaths', config.dropInPaths.join(' ')],
    ['UnitFileState', runtime.unitFileState],
    ['StateChangeTimestamp', timestamp(runtime.stateChangeWallMs)],
    ['ActiveEnterTimestamp', timestamp(runtime.activeEnterWallMs)],
    ['ActiveExitTimestamp', timestamp(runtime.activeExitWallMs)],
    ['InactiveEnterTimestamp', timestamp(runtime.inactiveEnterWallMs)],
    ['InactiveExitTimestamp', timestamp(runtime.inactiveExitWallMs)],
    ['CanStart', yesNo(config.loadState === 'loaded' && !u.refuseManualStart)],
    ['CanStop', yesNo(config.loadState === 'loaded' && !u.refuseManualStop)],
    ['CanReload', yesNo(runtime.canReload)],
    ['CanIsolate', yesNo(u.allowIsolate)],
    ['StopWhenUnneeded', yesNo(u.stopWhenUnneeded)],
    ['RefuseManualStart', yesNo(u.refuseManualStart)],
    ['RefuseManualStop', yesNo(u.refuseManualStop)],
    ['AllowIsolate', yesNo(u.allowIsolate)],
    ['DefaultDependencies', yesNo(u.defaultDependencies)],
    ['OnFailureJobMode', u.onFailureJobMode],
    ['IgnoreOnIsolate', yesNo(u.ignoreOnIsolate)],
    ['NeedDaemonReload', yesNo(runtime.needDaemonReload)],
    ['JobTimeoutUSec', ts(u.jobTimeoutUsec)],
    ['JobRunningTimeoutUSec', ts(u.jobRunningTimeoutUsec)],
    ['JobTimeoutAction', u.jobTimeoutAction],
    ['ConditionResult', yesNo(runtime.conditionResult)],
    ['AssertResult', yesNo(runtime.assertResult)],
    ['ConditionTimestamp', timestamp(runtime.conditionWallMs)],
    ['AssertTimestamp', timestamp(runtime.assertWallMs)],
    ['StartLimitIntervalUSec', ts(u.startLimitIntervalUsec)],
    ['StartLimitBurst', String(u.startLimitBurst)],
    ['StartLimitAction', u.startLimitAction],
    ['FailureAction', u.failureAction],
    ['FailureActionExitStatus', u.failureActionExitStatus === undefined ? '' : String(u.failureActionExitStatus)],
    ['SuccessAction', u.successAction],
    ['SuccessActionExitStatus', u.successActionExitStatus === undefined ? '' : String(u.successActionExitStatus)],
    ['InvocationID', runtime.invocationId],
    ['NotEnforced', runtime.notEnforced.join(' ')],
  );
  return props;
}
