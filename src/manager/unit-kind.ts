// What the manager needs of each unit type (systemd's UnitVTable): start/stop/reload and the
// states they lead to. Each unit type implements it; unit-kinds/kind-factories.ts says which class runs which type.
import type { ActiveState } from '../unit/active-state.js';
import type { LogLevel } from './event-stream.js';
import type { Lines } from '../protocol/output-block.js';
import type { ProcessRun, UnitProcess } from '../protocol/unit-info.js';
import type { Property, RuntimeFacts } from './properties.js';

/**
 * What unit_start()/unit_stop() report (systemd's return conventions): 'started' (r > 0: it is
 * on its way), 'already' (-EALREADY: nothing to do), 'wait' (-EAGAIN: retry when the unit
 * settles), 'done' (0: under way or finished at once, nothing to announce), or a refusal that fails the job.
 */
export type OperationOutcome = 'started' | 'already' | 'wait' | 'done' | { readonly refused: 'start-limit-hit' | 'unsupported' | 'invalid' | 'not-found' };

export interface StateChange {
  readonly old: ActiveState;
  readonly oldSub: string;
  readonly next: ActiveState;
  readonly sub: string;
  /** The unit left a start attempt by failing, but will restart on its own (Restart=). */
  readonly willAutoRestart: boolean;
  /** A reload attempt failed. */
  readonly reloadFailed: boolean;
  /** ExecCondition= skipped the unit (UNIT_NOTIFY_SKIP_CONDITION). */
  readonly skipCondition?: boolean;
}

/** What a unit kind may learn about another unit (a timer about the service it triggers). */
export interface UnitSnapshot {
  readonly loaded: boolean;
  readonly activeState: ActiveState;
  /** Monotonic µs of the last exit from / entry into inactive-or-failed; 0 if never. */
  readonly inactiveExitUsec: number;
  readonly inactiveEnterUsec: number;
  /** A job is installed for it. */
  readonly hasJob: boolean;
  /** Its last start was refused by its start rate limit (systemd's Unit.start_limit_hit). */
  readonly startLimitHit: boolean;
}

/** How a unit kind talks back to the manager. */
export interface UnitKindHost {
  stateChanged(change: StateChange): void;
  /** A unit-level message; the manager prefixes "unit: ". */
  log(level: LogLevel, message: string): void;
  /** Lines of the unit's output, read at once. */
  output(pid: number, ident: string, stream: 'stdout' | 'stderr', lines: Lines): void;
  /** The units this one triggers (its Triggers= dependencies). */
  triggers(): readonly string[];
  /** Queues a start job (mode replace) for a triggered unit; returns systemd's refusal text if it cannot. */
  startTriggered(unit: string): string | undefined;
  snapshot(unit: string): UnitSnapshot | undefined;
  /** Socket activation: the fds a service gets from the sockets that trigger it (sd_listen_fds(3)). */
  activationFds(): ActivationFds | undefined;
}

/** What a socket-activated service is handed: listening sockets with their names, or one accepted connection. */
export interface ActivationFds {
  readonly fds: readonly number[];
  readonly names: readonly string[];
}

/** What a socket asks of the manager beyond the common host (Accept=yes). */
export interface SocketHost extends UnitKindHost {
  /** Loads NAME@INSTANCE.service for one connection, links it as triggered, and queues its start; returns a refusal. */
  startInstance(unit: string, peer: string): string | undefined;
}

export interface UnitKind {
  readonly activeState: ActiveState;
  readonly subState: string;
  /** The Result= property. */
  readonly result: string;
  /** How a finished start job is announced: "Started", "Finished" (oneshot) or "Reached target". */
  readonly startedVerb: 'Started' | 'Finished' | 'Reached target';
  start(): OperationOutcome;
  stop(): OperationOutcome;
  reload(): OperationOutcome;
  canReload(): boolean;
  resetFailed(): void;
  kill(whom: 'main' | 'control' | 'all', signal: number): void;
  /** The job queue became empty (Type=idle waits for it). */
  queueIdle(): void;
  /** Type=idle: the unit's command waits for the queue to empty; its own start job does not count then. */
  readonly waitingForIdle?: boolean;
  /** The last start was refused by the start rate limit (a socket then fails with service-start-limit-hit). */
  readonly startLimitHit?: boolean;
  runtime(): Partial<RuntimeFacts>;
  processes(): readonly UnitProcess[];
  runs(): { readonly runs: readonly ProcessRun[]; readonly mainRun: ProcessRun | undefined };
  /** Properties of the unit's type that `show` prints before the generic ones (a timer's Unit=, NextElapseUSecRealtime=, ...). */
  properties?(): Property[];
  /** Wall-clock µs of the next elapse and of the last trigger (timers: status's Trigger: line, list-timers). */
  nextElapseRealtime?(): number | undefined;
  lastTriggerRealtime?(): number | undefined;
  /** Wall-clock ms when the unit's armed state timer fires (systemd's unit get_timeout()), if one is armed. */
  timeoutRealtime?(): number | undefined;
  /** A unit this one triggers changed state (systemd's trigger_notify()). */
  triggeredUnitChanged?(unit: string, state: ActiveState): void;
  /** Releases timers and listeners; the unit's processes are already gone or handed over. */
  dispose(): void;
}
