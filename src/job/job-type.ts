// Job types and systemd's merge rules (systemd 252 src/core/job.c: job_type_lookup_merge, job_type_collapse, job_type_is_redundant).
import { isActiveOrActivating, isActiveOrReloading, type ActiveState } from '../unit/active-state.js';

/** The types that can be merged with each other, in systemd's enum order (the merge table's axes). */
export const MERGING_JOB_TYPES = ['start', 'verify-active', 'stop', 'reload', 'restart'] as const;
export type MergingJobType = (typeof MERGING_JOB_TYPES)[number];

/** Types that live in a transaction: the merging ones plus nop. */
export type TransactionJobType = MergingJobType | 'nop';

/** Types a client may request; the last three collapse to one of the others against the unit's state. */
export const JOB_TYPES = ['start', 'verify-active', 'stop', 'reload', 'restart', 'nop', 'try-restart', 'try-reload', 'reload-or-start'] as const;
export type JobType = (typeof JOB_TYPES)[number];

const CONFLICT = null;
type MergeCell = JobType | typeof CONFLICT;

/**
 * job_merging_table as a lower triangle: row X, column Y (Y before X in MERGING_JOB_TYPES) holds
 * "X merged with Y"; null means the two conflict. The diagonal (X with X = X) is implicit.
 */
const MERGE_TABLE: readonly (readonly MergeCell[])[] = [
  /*                 start              verify-active  stop      reload */
  /* start         */ [],
  /* verify-active */ ['start'],
  /* stop          */ [CONFLICT,          CONFLICT],
  /* reload        */ ['reload-or-start', 'reload',      CONFLICT],
  /* restart       */ ['restart',         'restart',     CONFLICT, 'restart'],
];

const mergingIndex = (t: JobType): number => {
  const i = (MERGING_JOB_TYPES as readonly string[]).indexOf(t);
  if (i < 0) throw new Error(`job type ${t} does not take part in merging`);
  return i;
};

export const isMergingJobType = (t: JobType): t is MergingJobType => (MERGING_JOB_TYPES as readonly string[]).includes(t);

/** job_type_lookup_merge: the type covering both, or null when they conflict. Result may need collapse(). */
export function lookupMerge(a: MergingJobType, b: MergingJobType): JobType | null {
  if (a === b) return a;
  const [i, j] = [mergingIndex(a), mergingIndex(b)];
  return i > j ? (MERGE_TABLE[i]![j] ?? null) : (MERGE_TABLE[j]![i] ?? null);
}

export const isMergeable = (a: MergingJobType, b: MergingJobType): boolean => lookupMerge(a, b) !== null;
/** job_type_is_conflicting */
export const isConflicting = (a: MergingJobType, b: MergingJobType): boolean => !isMergeable(a, b);
/** job_type_is_superset: a already does everything b would. */
export const isSuperset = (a: MergingJobType, b: MergingJobType): boolean => lookupMerge(a, b) === a;
/** job_type_allows_late_merge: a running restart has already stopped the unit, so nothing merges into it late. */
export const allowsLateMerge = (t: JobType): boolean => t !== 'restart';

/** job_type_collapse: resolve the conditional types against the unit's current state. */
export function collapse(t: JobType, state: ActiveState): TransactionJobType {
  switch (t) {
    case 'try-restart':
      // Keep the restart even while the unit is activating (a restart is never redundant).
      return isActiveOrActivating(state) ? 'restart' : 'nop';
    case 'try-reload':
      return isActiveOrReloading(state) ? 'reload' : 'nop';
    case 'reload-or-start':
      return isActiveOrReloading(state) ? 'reload' : 'start';
    default:
      return t;
  }
}

/** job_type_merge_and_collapse: merged type, or null when a and b conflict. */
export function mergeAndCollapse(a: MergingJobType, b: MergingJobType, state: ActiveState): MergingJobType | null {
  const t = lookupMerge(a, b);
  if (t === null) return null;
  const c = collapse(t, state);
  if (c === 'nop') throw new Error(`merging ${a} and ${b} collapsed to nop`);
  return c;
}

/** job_type_is_redundant: the unit is already where the job would bring it. */
export function isRedundant(t: TransactionJobType, state: ActiveState): boolean {
  switch (t) {
    case 'start':
    case 'verify-active':
      return isActiveOrReloading(state);
    case 'stop':
      return state === 'inactive' || state === 'failed';
    case 'reload':
      return state === 'reloading';
    case 'restart':
      // "Restart jobs must always be kept": the unit may be activating with an old configuration.
      return false;
    case 'nop':
      return true;
  }
}

/** Stop-like jobs run in reverse order (job_compare: "JOB_RESTART is JOB_STOP in disguise"). */
export const isStopLike = (t: JobType): boolean => t === 'stop' || t === 'restart';
