// The loaded unit model: what the parser produces and the engine reads. Readonly data with
// systemd's defaults filled in; names follow systemd.unit(5), systemd.service(5),
// systemd.exec(5) and systemd.kill(5).
import type { Usec } from '../common/clock.js';
import type { LoadState } from './active-state.js';
import type { Rlimit, RlimitName } from './values/rlimit.js';
import type { CalendarSpec } from './values/calendar.js';

export const UNIT_TYPES = ['service', 'target', 'socket', 'timer'] as const;
/** The unit types unitvisor runs. Other suffixes (.mount, .path, ...) load with LoadState=error. */
export type UnitType = (typeof UNIT_TYPES)[number];

/**
 * Requirement and ordering dependencies a unit declares: [Unit] keys, .wants/.requires/.upholds dirs,
 * and Triggers=, which only a unit's type implies (a timer or socket triggers its service).
 */
export const FORWARD_DEPENDENCIES = [
  'Requires',
  'Requisite',
  'Wants',
  'BindsTo',
  'PartOf',
  'Upholds',
  'Conflicts',
  'Before',
  'After',
  'OnFailure',
  'OnSuccess',
  'PropagatesReloadTo',
  'ReloadPropagatedFrom',
  'PropagatesStopTo',
  'StopPropagatedFrom',
  'Triggers',
] as const;
export type ForwardDependency = (typeof FORWARD_DEPENDENCIES)[number];

/** Units named in each dependency setting, in declaration order, de-duplicated. */
export type DeclaredDependencies = Readonly<Record<ForwardDependency, readonly string[]>>;

/** Condition*= / Assert*= (systemd.unit(5)); `kind` is the suffix, e.g. "PathExists". */
export interface Condition {
  readonly kind: string;
  /** "|" prefix: a triggering condition (any one of them suffices). */
  readonly trigger: boolean;
  /** "!" prefix. */
  readonly negate: boolean;
  readonly parameter: string;
}

export const EMERGENCY_ACTIONS = [
  'none',
  'exit',
  'exit-force',
  'poweroff',
  'poweroff-force',
  'poweroff-immediate',
  'reboot',
  'reboot-force',
  'reboot-immediate',
  'halt',
  'halt-force',
  'halt-immediate',
  'soft-reboot',
  'soft-reboot-force',
  'kexec',
  'kexec-force',
] as const;
export type EmergencyAction = (typeof EMERGENCY_ACTIONS)[number];

export const JOB_MODES = [
  'fail',
  'replace',
  'replace-irreversibly',
  'isolate',
  'flush',
  'ignore-dependencies',
  'ignore-requirements',
  'triggering',
] as const;
export type JobMode = (typeof JOB_MODES)[number];

export interface UnitSection {
  readonly description: string | undefined;
  readonly documentation: readonly string[];
  readonly dependencies: DeclaredDependencies;
  readonly defaultDependencies: boolean;
  readonly stopWhenUnneeded: boolean;
  readonly refuseManualStart: boolean;
  readonly refuseManualStop: boolean;
  readonly allowIsolate: boolean;
  readonly ignoreOnIsolate: boolean;
  readonly onFailureJobMode: JobMode;
  /** CollectMode=: whether a failed unit is unloaded too once nothing needs it. */
  readonly collectMode: 'inactive' | 'inactive-or-failed';
  readonly jobTimeoutUsec: Usec;
  readonly jobRunningTimeoutUsec: Usec;
  readonly jobTimeoutAction: EmergencyAction;
  readonly startLimitIntervalUsec: Usec;
  readonly startLimitBurst: number;
  readonly startLimitAction: EmergencyAction;
  readonly successAction: EmergencyAction;
  readonly failureAction: EmergencyAction;
  readonly successActionExitStatus: number | undefined;
  readonly failureActionExitStatus: number | undefined;
  readonly conditions: readonly Condition[];
  readonly asserts: readonly Condition[];
  /** SourcePath= */
  readonly sourcePath: string | undefined;
}

export interface InstallSection {
  readonly wantedBy: readonly string[];
  readonly requiredBy: readonly string[];
  readonly upheldBy: readonly string[];
  readonly alias: readonly string[];
  readonly also: readonly string[];
  readonly defaultInstance: string | undefined;
}

export const SERVICE_TYPES = ['simple', 'exec', 'forking', 'oneshot', 'dbus', 'notify', 'notify-reload', 'idle'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const RESTART_MODES = ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always'] as const;
export type RestartMode = (typeof RESTART_MODES)[number];

export const NOTIFY_ACCESS = ['none', 'main', 'exec', 'all'] as const;
export type NotifyAccess = (typeof NOTIFY_ACCESS)[number];

export const KILL_MODES = ['control-group', 'mixed', 'process', 'none'] as const;
export type KillMode = (typeof KILL_MODES)[number];

export const TIMEOUT_FAILURE_MODES = ['terminate', 'abort', 'kill'] as const;
export type TimeoutFailureMode = (typeof TIMEOUT_FAILURE_MODES)[number];

export const EXIT_TYPES = ['main', 'cgroup'] as const;
export type ExitType = (typeof EXIT_TYPES)[number];

/** SuccessExitStatus=, RestartPreventExitStatus=, RestartForceExitStatus=. Signals as numbers. */
export interface ExitStatusSet {
  readonly statuses: readonly number[];
  readonly signals: readonly number[];
}

/** One Exec*= line (systemd.service(5) "Command lines"). */
export interface ExecCommand {
  /** The executable: absolute, or a bare name resolved at spawn time as systemd does. */
  readonly path: string;
  /** argv including argv[0]; `$VAR`/`${VAR}` still unexpanded (they expand at spawn, unless noEnvExpand). */
  readonly argv: readonly string[];
  /** "-": a failing exit status is recorded but ignored. */
  readonly ignoreFailure: boolean;
  /** ":": no environment variable substitution. */
  readonly noEnvExpand: boolean;
  /** "+": run with full privileges (User=/Group= etc. not applied). */
  readonly fullPrivileges: boolean;
  /** "!" / "!!": ambient-capability variants; here they only skip User=/Group= like "+" does for the credentials part. */
  readonly privilegesMode: 'normal' | 'ambient' | 'ambient-fallback';
  /** Where the line came from, for diagnostics and `show`. */
  readonly file: string;
  readonly line: number;
}

/** 'socket': the connection of an Accept=yes socket (systemd.exec(5) StandardInput=socket). */
export type StandardInput =
  | { readonly kind: 'null' }
  | { readonly kind: 'tty' }
  | { readonly kind: 'socket' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'data' };

export type StandardOutput =
  | { readonly kind: 'inherit' }
  | { readonly kind: 'null' }
  | { readonly kind: 'tty' }
  | { readonly kind: 'journal' }
  | { readonly kind: 'kmsg' }
  | { readonly kind: 'socket' }
  | { readonly kind: 'file' | 'append' | 'truncate'; readonly path: string };

export interface EnvironmentFileRef {
  readonly path: string;
  /** "-" prefix: a missing file is not an error. */
  readonly optional: boolean;
}

export interface WorkingDirectory {
  /** Absolute path, or "~" for the user's home. */
  readonly path: string;
  /** "-" prefix: a missing directory is not an error. */
  readonly optional: boolean;
}

export const EXEC_DIRECTORY_TYPES = ['runtime', 'state', 'cache', 'logs', 'configuration'] as const;
/** RuntimeDirectory=, StateDirectory=, CacheDirectory=, LogsDirectory=, ConfigurationDirectory=. */
export type ExecDirectoryType = (typeof EXEC_DIRECTORY_TYPES)[number];

/** One word of a *Directory= setting: a relative path, and the symlinks to it ("foo:bar"). */
export interface ExecDirectoryEntry {
  readonly path: string;
  readonly symlinks: readonly string[];
}

export interface ExecDirectory {
  readonly entries: readonly ExecDirectoryEntry[];
  /** *DirectoryMode=, default 0755. */
  readonly mode: number;
}

export const EXEC_PRESERVE_MODES = ['no', 'yes', 'restart'] as const;
/** RuntimeDirectoryPreserve=. */
export type ExecPreserveMode = (typeof EXEC_PRESERVE_MODES)[number];

export const IO_SCHEDULING_CLASSES = ['none', 'realtime', 'best-effort', 'idle'] as const;
/** IOSchedulingClass= (ioprio_set(2) classes 0–3). */
export type IOSchedulingClass = (typeof IO_SCHEDULING_CLASSES)[number];

export const CPU_SCHEDULING_POLICIES = ['other', 'fifo', 'rr', 'batch', 'idle'] as const;
/** CPUSchedulingPolicy= (sched(7) SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE). */
export type CPUSchedulingPolicy = (typeof CPU_SCHEDULING_POLICIES)[number];

export const KEYRING_MODES = ['inherit', 'private', 'shared'] as const;
export type KeyringMode = (typeof KEYRING_MODES)[number];

/** systemd.exec(5) "Process Properties", "Scheduling", "Security", "Capabilities": what the exec helper sets. */
export interface ProcessAttributes {
  readonly limits: Readonly<Partial<Record<RlimitName, Rlimit>>>;
  readonly nice: number | undefined;
  readonly oomScoreAdjust: number | undefined;
  /** Set when either IOScheduling*= is (the other takes its default: best-effort, 4). */
  readonly ioScheduling: { readonly class: IOSchedulingClass; readonly priority: number } | undefined;
  /** Set when either CPUScheduling*= is. */
  readonly cpuScheduling: { readonly policy: CPUSchedulingPolicy; readonly priority: number; readonly resetOnFork: boolean } | undefined;
  readonly noNewPrivileges: boolean;
  /** A mask of capability numbers; default every capability. */
  readonly capabilityBoundingSet: bigint;
  readonly ambientCapabilities: bigint;
  readonly secureBits: number;
  readonly keyringMode: KeyringMode;
  readonly ignoreSIGPIPE: boolean;
  readonly ttyPath: string | undefined;
  readonly ttyReset: boolean;
  readonly ttyVHangup: boolean;
  readonly ttyVTDisallocate: boolean;
}

export const PROTECT_SYSTEM_MODES = ['no', 'yes', 'full', 'strict'] as const;
export type ProtectSystem = (typeof PROTECT_SYSTEM_MODES)[number];
export const PROTECT_HOME_MODES = ['no', 'yes', 'read-only', 'tmpfs'] as const;
export type ProtectHome = (typeof PROTECT_HOME_MODES)[number];

/** A ReadWritePaths=/ReadOnlyPaths=/InaccessiblePaths= entry; "-" prefix: a missing path is skipped. */
export interface SandboxPath {
  readonly path: string;
  readonly optional: boolean;
}

/** systemd.exec(5) "Sandboxing" settings the exec helper builds with a mount namespace. */
export interface Sandbox {
  readonly privateTmp: boolean;
  /** A /dev of the pseudo devices only (null, zero, full, random, urandom, tty, pts, shm, mqueue). */
  readonly privateDevices: boolean;
  readonly protectSystem: ProtectSystem;
  readonly protectHome: ProtectHome;
  readonly readWritePaths: readonly SandboxPath[];
  readonly readOnlyPaths: readonly SandboxPath[];
  readonly inaccessiblePaths: readonly SandboxPath[];
  readonly protectKernelTunables: boolean;
  readonly protectControlGroups: boolean;
}

/** SystemCallFilter=: the calls allowed (allow list, @default included) or denied, each with its own errno if given. */
export interface SyscallFilter {
  readonly allowList: boolean;
  readonly calls: ReadonlyMap<string, number | undefined>;
}

/** RestrictAddressFamilies=: the AF_* numbers allowed or denied to socket(2). */
export interface AddressFamilyFilter {
  readonly allowList: boolean;
  readonly families: readonly number[];
}

/** systemd.exec(5) "System Call Filtering" settings the exec helper loads as seccomp filters. */
export interface Seccomp {
  readonly syscallFilter: SyscallFilter | undefined;
  /** SystemCallErrorNumber=: what a filtered call gets; 'kill' (the default) kills the process with SIGSYS. */
  readonly syscallErrorNumber: number | 'kill';
  readonly addressFamilies: AddressFamilyFilter | undefined;
  readonly memoryDenyWriteExecute: boolean;
}

/** systemd.exec(5) settings unitvisor honours. */
export interface ExecContext extends ProcessAttributes, Sandbox, Seccomp {
  /** Environment= assignments, resets already applied, in order ("KEY=value"). */
  readonly environment: readonly string[];
  readonly environmentFiles: readonly EnvironmentFileRef[];
  readonly passEnvironment: readonly string[];
  /** Variable names or exact "KEY=value" assignments. */
  readonly unsetEnvironment: readonly string[];
  readonly workingDirectory: WorkingDirectory | undefined;
  readonly user: string | undefined;
  readonly group: string | undefined;
  readonly supplementaryGroups: readonly string[];
  readonly umask: number;
  readonly standardInput: StandardInput;
  readonly standardOutput: StandardOutput;
  /** undefined: inherit StandardOutput= (systemd's default). */
  readonly standardError: StandardOutput | undefined;
  readonly syslogIdentifier: string | undefined;
  readonly directories: Readonly<Record<ExecDirectoryType, ExecDirectory>>;
  readonly runtimeDirectoryPreserve: ExecPreserveMode;
}

/** systemd.kill(5). Signals as numbers. */
export interface KillContext {
  readonly killMode: KillMode;
  readonly killSignal: number;
  readonly restartKillSignal: number | undefined;
  readonly finalKillSignal: number;
  readonly watchdogSignal: number;
  readonly sendSIGKILL: boolean;
  readonly sendSIGHUP: boolean;
}

export interface ServiceSection {
  readonly type: ServiceType;
  readonly exitType: ExitType;
  readonly remainAfterExit: boolean;
  readonly guessMainPID: boolean;
  readonly pidFile: string | undefined;
  readonly busName: string | undefined;
  readonly execCondition: readonly ExecCommand[];
  readonly execStartPre: readonly ExecCommand[];
  readonly execStart: readonly ExecCommand[];
  readonly execStartPost: readonly ExecCommand[];
  readonly execReload: readonly ExecCommand[];
  readonly execStop: readonly ExecCommand[];
  readonly execStopPost: readonly ExecCommand[];
  readonly restart: RestartMode;
  readonly restartUsec: Usec;
  readonly restartPreventExitStatus: ExitStatusSet;
  readonly restartForceExitStatus: ExitStatusSet;
  readonly successExitStatus: ExitStatusSet;
  readonly timeoutStartUsec: Usec;
  readonly timeoutStopUsec: Usec;
  readonly timeoutAbortUsec: Usec;
  readonly timeoutStartFailureMode: TimeoutFailureMode;
  readonly timeoutStopFailureMode: TimeoutFailureMode;
  readonly runtimeMaxUsec: Usec;
  readonly watchdogUsec: Usec;
  /** Default depends on Type= (main for notify, none otherwise). */
  readonly notifyAccess: NotifyAccess;
  /** [X-Readiness]: the start waits for this probe, as Type=notify waits for READY=1. */
  readonly readiness: Probe | undefined;
  /** [X-HealthCheck]: once active, Threshold= failures in a row count as a watchdog timeout. */
  readonly healthCheck: Probe | undefined;
  /** [X-Watch] Paths=: globs (relative to the working directory) whose changes restart the unit under `up --watch`. */
  readonly watchPaths: readonly string[];
  /** [X-Watch] Ignore=: globs excluded from Paths=. */
  readonly watchIgnore: readonly string[];
  readonly exec: ExecContext;
  readonly kill: KillContext;
}

/** What a probe checks (unitvisor's [X-Readiness]/[X-HealthCheck] sections, which systemd skips). */
export type ProbeCheck =
  | { readonly kind: 'http-get'; readonly url: string; readonly headers: readonly (readonly [string, string])[] }
  | { readonly kind: 'tcp-connect'; readonly host: string; readonly port: number }
  | { readonly kind: 'log-line'; readonly pattern: string }
  | { readonly kind: 'exec'; readonly command: ExecCommand };

export interface Probe {
  readonly check: ProbeCheck;
  readonly intervalUsec: Usec;
  readonly timeoutUsec: Usec;
  readonly initialDelayUsec: Usec;
  /** Consecutive failures before acting; 0: never (a readiness probe then waits for TimeoutStartSec=). */
  readonly threshold: number;
}

/** What a Listen*= line opens (systemd.socket(5)); `@name` paths are abstract unix sockets. */
export type ListenAddress =
  | { readonly family: 'inet' | 'inet6'; readonly host: string; readonly port: number }
  | { readonly family: 'unix'; readonly path: string }
  | { readonly family: 'fifo'; readonly path: string };

/** The socket type, in systemd's words for `Listen=` and `status` ("Stream", "Datagram", ...). */
export const LISTEN_TYPES = ['Stream', 'Datagram', 'SequentialPacket', 'FIFO'] as const;
export type ListenType = (typeof LISTEN_TYPES)[number];

export interface ListenSpec {
  readonly type: ListenType;
  readonly address: ListenAddress;
}

export const BIND_IPV6_ONLY = ['default', 'both', 'ipv6-only'] as const;
export type BindIPv6Only = (typeof BIND_IPV6_ONLY)[number];

/** systemd.socket(5) settings unitvisor honours. */
export interface SocketSection {
  readonly listen: readonly ListenSpec[];
  readonly accept: boolean;
  /** Service=: the unit it activates (default: the socket's name with .service). */
  readonly service: string | undefined;
  readonly socketMode: number;
  readonly directoryMode: number;
  readonly socketUser: string | undefined;
  readonly socketGroup: string | undefined;
  readonly backlog: number;
  readonly reusePort: boolean;
  readonly bindIPv6Only: BindIPv6Only;
  readonly noDelay: boolean;
  readonly keepAlive: boolean;
  readonly maxConnections: number;
  readonly removeOnStop: boolean;
  readonly fileDescriptorName: string | undefined;
  readonly timeoutUsec: Usec;
  /** TriggerLimitIntervalSec=/TriggerLimitBurst= as written; undefined: socketTriggerLimit()'s defaults. */
  readonly triggerLimitIntervalUsec: Usec | undefined;
  readonly triggerLimitBurst: number | undefined;
  readonly execStartPre: readonly ExecCommand[];
  readonly execStartPost: readonly ExecCommand[];
  readonly execStopPre: readonly ExecCommand[];
  readonly execStopPost: readonly ExecCommand[];
  /** The socket's own Exec*= lines run with these (systemd.exec(5) settings in [Socket]). */
  readonly exec: ExecContext;
  readonly kill: KillContext;
}

/** The monotonic timer settings of systemd.timer(5), each relative to its own starting point. */
export const TIMER_BASES = ['OnActiveSec', 'OnBootSec', 'OnStartupSec', 'OnUnitActiveSec', 'OnUnitInactiveSec'] as const;
export type TimerBase = (typeof TIMER_BASES)[number];

/** One OnXxxSec= or OnCalendar= line. */
export type TimerValue =
  | { readonly base: TimerBase; readonly usec: Usec }
  | { readonly base: 'OnCalendar'; readonly calendar: CalendarSpec };

export interface TimerSection {
  /** In declaration order; an empty assignment of any of them clears them all. */
  readonly values: readonly TimerValue[];
  readonly accuracyUsec: Usec;
  readonly randomizedDelayUsec: Usec;
  readonly fixedRandomDelay: boolean;
  readonly onClockChange: boolean;
  readonly onTimezoneChange: boolean;
  readonly persistent: boolean;
  /** Accepted; unitvisor cannot wake a suspended machine. */
  readonly wakeSystem: boolean;
  readonly remainAfterElapse: boolean;
  /** Unit= as written (the default, NAME.service, is added as its Triggers= dependency at load). */
  readonly unit: string | undefined;
}

/** A unit as loaded: its names, where it came from, and its settings with defaults applied. */
export interface UnitConfig {
  /** The unit's primary name (the fragment's file name, or the instance name for templates). */
  readonly id: string;
  readonly type: UnitType;
  /** Other names it answers to (symlink aliases, Alias= once enabled). */
  readonly aliases: readonly string[];
  readonly loadState: LoadState;
  /** Why loadState is not 'loaded' (e.g. "Unit x.service not found."). */
  readonly loadError: string | undefined;
  /** Refused by unitvisor for a feature it lacks (Type=dbus), though systemd would load it: reported once at load. */
  readonly refusedHere?: boolean;
  /** "Section.Key" of every assignment in the unit's files, known or not; absent for units without a file. */
  readonly settings?: readonly string[];
  readonly fragmentPath: string | undefined;
  readonly dropInPaths: readonly string[];
  /** Template instance ("inst" of x@inst.service), if any. */
  readonly instance: string | undefined;
  readonly unit: UnitSection;
  /** Present for .service units. */
  readonly service: ServiceSection | undefined;
  /** Present for .socket units. */
  readonly socket: SocketSection | undefined;
  /** Present for .timer units. */
  readonly timer: TimerSection | undefined;
  readonly install: InstallSection;
}
