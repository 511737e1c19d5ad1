// What each verb's reply carries (the `result` of an ok reply), shared by daemon and client.
import type { JournalEntry } from './events.js';
import type { JobInfo, TreeNode, UnitInfo } from './unit-info.js';
import type { DryRunReport, SystemState } from './analysis.js';

/** The outcome of one unit's job request, as systemctl reports it. */
export type JobOutcome =
  | { readonly unit: string; readonly kind: 'queued'; readonly jobId: number }
  | { readonly unit: string; readonly kind: 'finished'; readonly jobId: number; readonly result: string; readonly serviceResult: string }
  | { readonly unit: string; readonly kind: 'nothing-to-do' }
  | { readonly unit: string; readonly kind: 'refused'; readonly code: 'unit-not-found' | 'unit-masked' | 'transaction-failed' | 'refused' | 'unit-not-loaded'; readonly message: string };

export interface JobVerbResult {
  readonly outcomes: readonly JobOutcome[];
}

export interface StatusResult {
  readonly units: readonly ({ readonly found: true; readonly info: UnitInfo; readonly journal: readonly JournalEntry[] } | { readonly found: false; readonly name: string })[];
  readonly hostname: string;
  readonly daemonPid: number;
  readonly nowMs: number;
}

export interface ShowResult {
  readonly units: readonly UnitInfo[];
}

export interface StatesResult {
  readonly states: readonly { readonly unit: string; readonly activeState: string }[];
}

export interface ListUnitsResult {
  readonly units: readonly UnitInfo[];
}

export interface ListJobsResult {
  readonly jobs: readonly JobInfo[];
}

export interface TreeResult {
  readonly tree: TreeNode;
}

/** A `logs` reply: a batch of entries; `logs -f` sends more batches until the client leaves. */
export interface LogsResult {
  readonly entries: readonly JournalEntry[];
  readonly hostname: string;
  readonly daemonPid: number;
}

export interface SystemStateResult {
  readonly state: SystemState;
}

/** The directories the daemon loads unit files from, highest priority first (systemd-analyze unit-paths). */
export interface UnitPathsResult {
  readonly unitPath: readonly string[];
}

export interface DryRunResult {
  readonly reports: readonly (DryRunReport & { readonly unit: string })[];
}
