// What the analysis verbs read: a snapshot of every unit with its timestamps, edges and last job,
// and the manager's state (systemctl is-system-running, systemd-analyze).
import type { JournalEntry } from './events.js';
import type { JobInfo } from './unit-info.js';

/** systemctl is-system-running's states (manager_state_to_string); `offline` is the client's own answer. */
export const SYSTEM_STATES = ['initializing', 'starting', 'running', 'degraded', 'maintenance', 'stopping', 'offline'] as const;
export type SystemState = (typeof SYSTEM_STATES)[number];

/** Wall-clock ms of a unit's state changes (0: never), as systemd's *Timestamp properties. */
export interface UnitTimestamps {
  /** Left inactive: activation began (InactiveExitTimestamp). */
  readonly inactiveExit: number;
  readonly activeEnter: number;
  readonly activeExit: number;
  readonly inactiveEnter: number;
  readonly condition: number;
  readonly assert: number;
  /** When the current (or last) main process started (ExecMainStartTimestamp). */
  readonly execMainStart: number;
}

/** A unit's most recent job: what was asked of it and how it ended. */
export interface JobRecord {
  readonly id: number;
  readonly type: string;
  /** JobResult (done, failed, dependency, canceled, timeout, skipped, assert, ...); undefined while it runs. */
  readonly result: string | undefined;
  readonly installed: number;
  /** When it started running (0: still waiting). */
  readonly running: number;
  readonly finished: number;
}

export interface UnitSnapshot {
  readonly id: string;
  readonly description: string;
  readonly loadState: string;
  readonly loadError: string | undefined;
  readonly activeState: string;
  readonly subState: string;
  readonly result: string;
  readonly timestamps: UnitTimestamps;
  /** Every non-empty dependency list, by systemd's property name (Requires, After, ConflictedBy, ...). */
  readonly deps: Readonly<Record<string, readonly string[]>>;
  readonly lastJob: JobRecord | undefined;
  readonly conditionResult: boolean;
  readonly assertResult: boolean;
  readonly nRestarts: number;
  readonly mainPid: number;
  /** The main process's last exit, as ExecMainCode/ExecMainStatus (code 0: none). */
  readonly execMainCode: number;
  readonly execMainStatus: number;
  /** Processes the unit has now. */
  readonly processCount: number;
  readonly timeoutStartUsec: number | undefined;
  /** Times the start limit refused a start (Start request repeated too quickly). */
  readonly startLimitHits: number;
  /** [X-Readiness]/[X-HealthCheck], where the unit has them. */
  readonly probes: readonly ProbeFact[];
}

export interface ProbeFact {
  readonly kind: 'Readiness' | 'Health';
  /** "HttpGet=http://127.0.0.1:8080/health" */
  readonly probe: string;
  readonly state: string;
  readonly lastResult: string;
  readonly failures: number;
}

/** Finished jobs' run times by job type, as histogram buckets (upper bounds in seconds). */
export interface JobDurations {
  readonly bounds: readonly number[];
  readonly byType: Readonly<Record<string, { readonly buckets: readonly number[]; readonly count: number; readonly sum: number }>>;
}

export interface SystemSnapshot {
  readonly state: SystemState;
  /** When the manager started (systemd's userspace timestamp). */
  readonly bootTime: number;
  /** When the job queue first ran empty (FinishTimestamp); 0 while starting. */
  readonly startupFinished: number;
  readonly nowMs: number;
  readonly defaultTarget: string;
  readonly units: readonly UnitSnapshot[];
  readonly jobs: readonly JobInfo[];
  readonly jobDurations: JobDurations;
}

/** `why UNIT`: the facts, each a line in systemd's words, and the journal lines that show it. */
export interface WhyReport {
  readonly unit: string;
  readonly active: boolean;
  readonly facts: readonly string[];
  readonly journal: readonly JournalEntry[];
}

/** `start --dry-run`: the transaction the request would make. */
export interface DryRunReport {
  readonly ok: boolean;
  /** Each job with the jobs it would wait for; `order` counts from 1 (jobs of one order may run together). */
  readonly jobs: readonly { readonly unit: string; readonly type: string; readonly order: number; readonly waitsFor: readonly string[] }[];
  /** Installed jobs the transaction would cancel. */
  readonly canceled: readonly { readonly unit: string; readonly type: string; readonly id: number }[];
  /** The transaction's messages (cycles broken) or its error. */
  readonly messages: readonly string[];
}
