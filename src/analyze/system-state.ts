// The manager's state as systemctl is-system-running reports it (systemd 252 manager_state()).
import type { SystemState } from '../protocol/analysis.js';

export interface StateFacts {
  /** The orderly stop of every unit has begun. */
  readonly stopping: boolean;
  /** The job queue has run empty once since the manager started. */
  readonly startupFinished: boolean;
  readonly failedUnits: number;
}

/** Stopping wins over everything; then starting until the first jobs are done; then degraded when a unit failed. */
export function systemState(facts: StateFacts): SystemState {
  if (facts.stopping) return 'stopping';
  if (!facts.startupFinished) return 'starting';
  return facts.failedUnits > 0 ? 'degraded' : 'running';
}
