// What /healthz and /readyz answer: the system state as is-system-running says it, the failed units,
// and units whose [X-HealthCheck] probe says unhealthy (a probe's state is part of a unit's health).
import type { SystemSnapshot, SystemState } from '../protocol/analysis.js';

export interface UnitProblem {
  readonly unit: string;
  readonly activeState: string;
  readonly result: string;
  /** 'failed', or the probe that reports it: 'health probe unhealthy'. */
  readonly reason: string;
}

export interface Health {
  readonly healthy: boolean;
  readonly state: SystemState;
  readonly problems: readonly UnitProblem[];
}

/** Healthy only when the system is `running` and no health probe says unhealthy. */
export function health(snapshot: SystemSnapshot): Health {
  const problems: UnitProblem[] = [];
  for (const u of snapshot.units) {
    if (u.activeState === 'failed') problems.push({ unit: u.id, activeState: u.activeState, result: u.result, reason: 'failed' });
    else if (u.probes.some((p) => p.kind === 'Health' && p.state === 'unhealthy')) problems.push({ unit: u.id, activeState: u.activeState, result: u.result, reason: 'health probe unhealthy' });
  }
  return { healthy: snapshot.state === 'running' && problems.length === 0, state: snapshot.state, problems };
}

/** Ready once the first jobs (the default target, or every unit of `up`) are done, until shutdown begins. */
export function ready(snapshot: SystemSnapshot): boolean {
  return snapshot.startupFinished > 0 && snapshot.state !== 'stopping';
}

/** The plain-text body: the state line, then one line per problem unit. */
export function formatHealth(h: Health): string {
  return [h.state, ...h.problems.map((p) => `${p.unit}: ${p.activeState} (Result: ${p.result})${p.reason === 'failed' ? '' : `, ${p.reason}`}`)].join('\n') + '\n';
}
