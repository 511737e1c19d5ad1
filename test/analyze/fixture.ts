// A small boot as a SystemSnapshot: times in ms after the manager started at t=1000 s.
import type { SystemSnapshot, UnitSnapshot } from '../../src/protocol/analysis.js';

const BOOT = 1_000_000;

export function unit(id: string, at: { exit?: number; enter?: number; leave?: number; dead?: number }, deps: Record<string, string[]> = {}, more: Partial<UnitSnapshot> = {}): UnitSnapshot {
  const t = (ms: number | undefined) => (ms === undefined ? 0 : BOOT + ms);
  return {
    id,
    description: id,
    loadState: 'loaded',
    loadError: undefined,
    activeState: at.enter !== undefined && at.dead === undefined ? 'active' : 'inactive',
    subState: 'running',
    result: 'success',
    timestamps: { inactiveExit: t(at.exit), activeEnter: t(at.enter), activeExit: t(at.leave), inactiveEnter: t(at.dead), condition: 0, assert: 0, execMainStart: 0 },
    deps,
    lastJob: undefined,
    conditionResult: true,
    assertResult: true,
    nRestarts: 0,
    mainPid: 0,
    execMainCode: 0,
    execMainStatus: 0,
    processCount: 0,
    timeoutStartUsec: undefined,
    probes: [],
    startLimitHits: 0,
    ...more,
  };
}

export function snapshot(units: UnitSnapshot[], finishMs = 2000, nowMs = 3000): SystemSnapshot {
  return { state: 'running', bootTime: BOOT, startupFinished: finishMs ? BOOT + finishMs : 0, nowMs: BOOT + nowMs, defaultTarget: 'multi-user.target', units, jobs: [], jobDurations: { bounds: [0.1, 1], byType: {} } };
}

/** db (oneshot, 500 ms) ← app (300 ms) ← multi-user.target; cache started alongside; late.service after startup. */
export const BOOT_SNAPSHOT = snapshot([
  unit('basic.target', { exit: 100, enter: 100 }),
  unit('db.service', { exit: 110, enter: 612 }, { After: ['basic.target'], RequiredBy: ['app.service'] }),
  unit('cache.service', { exit: 110, enter: 128 }, { After: ['basic.target'] }),
  unit('app.service', { exit: 620, enter: 931 }, { After: ['db.service', 'basic.target', 'cache.service'], Requires: ['db.service'], Wants: ['cache.service'], Conflicts: ['shutdown.target'] }),
  unit('multi-user.target', { exit: 940, enter: 940 }, { After: ['app.service', 'cache.service', 'basic.target'], Wants: ['app.service'] }),
  unit('late.service', { exit: 2500, enter: 2600 }, { After: ['multi-user.target'] }),
]);
