// What installing a job does to the unit's already installed job (systemd 252 job.c job_install, job_merge_into_installed).
import type { ActiveState } from '../unit/active-state.js';
import type { Job } from './job.js';
import { allowsLateMerge, isConflicting, isSuperset, mergeAndCollapse, type TransactionJobType } from './job-type.js';

export interface InstallOutcome {
  /** The installed job's id and type before. */
  readonly id: number;
  readonly type: TransactionJobType;
  /**
   * canceled: it conflicts and is replaced; merged: the new job merges into it (it keeps its id);
   * rerun: it is running and not a superset, so it merges and runs again.
   */
  readonly outcome: 'canceled' | 'merged' | 'rerun';
  /** The type the unit's job has afterwards. */
  readonly resultType: TransactionJobType;
}

export function installDecision(inst: Job, incoming: { readonly type: TransactionJobType }, state: ActiveState): InstallOutcome {
  const a = inst.type;
  const b = incoming.type;
  const base = { id: inst.id, type: a };
  if (a === 'nop' || b === 'nop') return { ...base, outcome: 'merged', resultType: a === 'nop' ? b : a };
  if (isConflicting(a, b)) return { ...base, outcome: 'canceled', resultType: b };
  const resultType = mergeAndCollapse(a, b, state) ?? a;
  if (inst.state === 'waiting' || (allowsLateMerge(b) && isSuperset(a, b))) return { ...base, outcome: 'merged', resultType };
  return { ...base, outcome: 'rerun', resultType };
}
