// Each unit's activation times relative to the manager's start, as systemd-analyze reads them
// (analyze-time-data.c acquire_time_data): activating, activated, deactivating, deactivated, and the
// time it took to start. All in µs, as systemd-analyze computes them.
import type { SystemSnapshot, UnitSnapshot } from '../protocol/analysis.js';

export interface UnitTimes {
  readonly name: string;
  /** µs since the manager started; 0: never. */
  readonly activating: number;
  readonly activated: number;
  readonly deactivating: number;
  readonly deactivated: number;
  /** How long the start took (activated − activating, or until it failed). */
  readonly time: number;
}

const MS = 1000;

export function unitTimes(u: UnitSnapshot, bootTime: number): UnitTimes {
  const rel = (ms: number) => (ms > 0 ? Math.max(1, Math.round((ms - bootTime) * MS)) : 0);
  const t = u.timestamps;
  const activating = rel(t.inactiveExit);
  const activated = rel(t.activeEnter);
  const deactivating = rel(t.activeExit);
  const deactivated = rel(t.inactiveEnter);
  // A start that is under way (activated earlier, by a previous run) took nothing yet.
  const time = activated >= activating ? activated - activating : deactivated >= activating ? deactivated - activating : 0;
  return { name: u.id, activating, activated, deactivating, deactivated, time: activating > 0 ? time : 0 };
}

/** Every unit with timestamps, by name. */
export function timesByUnit(snapshot: SystemSnapshot): Map<string, UnitTimes> {
  return new Map(snapshot.units.map((u) => [u.id, unitTimes(u, snapshot.bootTime)]));
}

/** FinishTimestamp relative to the start, in µs (0: still starting). */
export const finishTime = (snapshot: SystemSnapshot): number => (snapshot.startupFinished > 0 ? Math.max(1, Math.round((snapshot.startupFinished - snapshot.bootTime) * MS)) : 0);
