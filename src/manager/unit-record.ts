// What the manager keeps for each loaded unit beside its kind's own state: the state last reported to the
// job engine, the timestamps systemd shows (ActiveEnterTimestamp= and the others), the results of its
// conditions and asserts, and the files it was loaded from.
import type { ActiveState } from '../unit/active-state.js';
import type { UnitConfig } from '../unit/model.js';
import type { UnitKind } from './unit-kind.js';
import type { UnitFileStamps } from './unit-file-stamps.js';

export interface Stamps {
  stateChange: number;
  activeEnter: number;
  activeExit: number;
  inactiveEnter: number;
  inactiveExit: number;
  condition: number;
  assert: number;
  /** Monotonic µs of the last inactive exit / entry (timers measure OnUnitActiveSec= from them). */
  inactiveExitMono: number;
  inactiveEnterMono: number;
}

export const noStamps = (): Stamps => ({ stateChange: 0, activeEnter: 0, activeExit: 0, inactiveEnter: 0, inactiveExit: 0, condition: 0, assert: 0, inactiveExitMono: 0, inactiveEnterMono: 0 });

export interface UnitRecord {
  config: UnitConfig;
  kind: UnitKind;
  /** The state last reported to the job engine. */
  reported: { active: ActiveState; sub: string };
  stamps: Stamps;
  conditionResult: boolean;
  assertResult: boolean;
  /** The files it was loaded from, for NeedDaemonReload=. */
  files: UnitFileStamps;
}
