// What the daemon tells about a unit: the data behind `status`, `show`, `list-units` and `list-jobs`.
import type { ActiveState, LoadState } from '../unit/active-state.js';
import type { UnitTimestamps } from './analysis.js';

export interface JobInfo {
  readonly id: number;
  readonly unit: string;
  readonly type: string;
  readonly state: 'waiting' | 'running';
  /** Wall-clock ms when the job started running (list-jobs' run time); 0 or absent while it waits. */
  readonly runningSince?: number;
  /** Wall-clock ms when the job was queued (the console status counts from it, as systemd's begin_usec). */
  readonly installedAt?: number;
  /** Wall-clock ms when the unit's current state times out (job_get_timeout()); absent: no limit. */
  readonly timeoutAt?: number;
  /** The unit's STATUS= text, shown after the console status line. */
  readonly statusText?: string;
}

/** A process that ran for the unit (status's "Process:" and "Main PID:" lines). */
export interface ProcessRun {
  /** The Exec*= setting name, e.g. "ExecStartPre". */
  readonly setting: string;
  readonly pid: number;
  /** The command line as status prints it. */
  readonly commandLine: string;
  /** "exited", "killed" or "dumped"; undefined while it runs. */
  readonly code: 'exited' | 'killed' | 'dumped' | undefined;
  /** Exit status or signal number. */
  readonly status: number;
  /** The file a bare command name ran from when only the user's PATH has it (`up`); status says so. */
  readonly foundOnUserPath?: string;
}

export interface UnitProcess {
  readonly pid: number;
  readonly commandLine: string;
}

export interface UnitInfo {
  readonly id: string;
  readonly description: string;
  readonly loadState: LoadState;
  readonly loadError: string | undefined;
  readonly activeState: ActiveState;
  readonly subState: string;
  /** The Result= property ("success", "exit-code", ...). */
  readonly result: string;
  readonly fragmentPath: string | undefined;
  readonly dropInPaths: readonly string[];
  readonly unitFileState: string;
  /** Wall-clock ms of the last ActiveState change (status's "since"), 0 when never changed. */
  readonly stateChangeTime: number;
  /** Wall-clock ms of entering active, and of leaving it (for "Duration:"). */
  readonly activeEnterTime: number;
  readonly activeExitTime: number;
  /** Every state-change timestamp (wall-clock ms, 0: never), for analyze and metrics. */
  readonly timestamps: UnitTimestamps;
  readonly mainPid: number;
  readonly controlPid: number;
  readonly statusText: string | undefined;
  readonly job: JobInfo | undefined;
  /** Finished control processes of the current activation, then the main process's run. */
  readonly runs: readonly ProcessRun[];
  readonly mainRun: ProcessRun | undefined;
  /** The processes the unit has now (status's process tree). */
  readonly processes: readonly UnitProcess[];
  /** How they are tracked: the unit's own cgroup (its path), or by descent from its processes. */
  readonly tracking?: { readonly mode: 'cgroup'; readonly controlGroup: string } | { readonly mode: 'process-tree' };
  /** Timers: wall-clock ms of the next elapse (the earlier of both clocks) and of the last trigger. */
  readonly nextElapseTime?: number;
  readonly lastTriggerTime?: number;
  /** Every `show` property in systemd's order. */
  readonly properties: readonly (readonly [string, string])[];
}

/** One node of `list-dependencies`. */
export interface TreeNode {
  readonly unit: string;
  readonly activeState: string;
  readonly children: readonly TreeNode[];
}
