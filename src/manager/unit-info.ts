// A unit as show, status and list-units see it (UnitInfo): its states, processes, job, timestamps and
// properties, made from what the manager keeps for it and what its kind reports.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isActiveOrReloading, isInactiveOrFailed, type ActiveState } from '../unit/active-state.js';
import type { DependencyKind } from '../unit/dependencies.js';
import type { UnitConfig } from '../unit/model.js';
import type { Job } from '../job/job.js';
import type { UnitInfo } from '../protocol/unit-info.js';
import { DEFAULT_PATH } from '../service/environment.js';
import { notEnforcedKeys, type HostAbilities } from '../unit/setting-support.js';
import { unitProperties, type RuntimeFacts } from './properties.js';
import type { UnitKind } from './unit-kind.js';
import { ServiceKind } from './unit-kinds/service-kind.js';
import { needsDaemonReload } from './unit-file-stamps.js';
import type { Stamps, UnitRecord } from './unit-record.js';

/** What of the manager a unit's info needs beside its record. */
export interface UnitInfoContext {
  /** The directories unit files are loaded from, highest priority first. */
  readonly unitPath: readonly string[];
  /** The PATH services' commands are searched in. */
  readonly execPath: string;
  readonly abilities: HostAbilities;
  /** The job installed for a unit. */
  jobOf(unit: string): Job | undefined;
  /** A unit's dependencies of one kind, as the graph holds them. */
  deps(unit: string, kind: DependencyKind): readonly string[];
}

/** UnitFileState=: how the unit is enabled, as systemctl is-enabled says it (links only, no presets). */
function unitFileState(config: UnitConfig, unitPath: readonly string[]): string {
  if (config.loadState !== 'loaded' && config.loadState !== 'bad-setting') return '';
  const install = config.install;
  const targets = [...install.wantedBy.map((t) => `${t}.wants`), ...install.requiredBy.map((t) => `${t}.requires`), ...install.upheldBy.map((t) => `${t}.upholds`)];
  if (targets.length === 0 && install.alias.length === 0) return 'static';
  const linked = unitPath.some((dir) => targets.some((t) => existsSync(join(dir, t, config.id))) || install.alias.some((a) => existsSync(join(dir, a))));
  return linked ? 'enabled' : 'disabled';
}

export function unitInfoOf(context: UnitInfoContext, record: UnitRecord): UnitInfo {
  const { config, kind, stamps } = record;
  const runtime = kind.runtime();
  const job = context.jobOf(config.id);
  const facts: RuntimeFacts = {
    activeState: kind.activeState,
    subState: kind.subState,
    result: kind.result,
    reloadResult: runtime.reloadResult ?? 'success',
    mainPid: runtime.mainPid ?? 0,
    controlPid: runtime.controlPid ?? 0,
    statusText: runtime.statusText,
    statusErrno: runtime.statusErrno ?? 0,
    watchdogOverrideUsec: runtime.watchdogOverrideUsec,
    probes: runtime.probes,
    nRestarts: runtime.nRestarts ?? 0,
    execMain: runtime.execMain ?? { pid: 0, startWallMs: 0, exitWallMs: 0, code: 0, status: 0 },
    execRuns: runtime.execRuns ?? new Map(),
    uid: undefined,
    gid: undefined,
    invocationId: runtime.invocationId ?? '',
    unitFileState: unitFileState(config, context.unitPath),
    conditionResult: record.conditionResult,
    assertResult: record.assertResult,
    conditionWallMs: stamps.condition,
    assertWallMs: stamps.assert,
    stateChangeWallMs: stamps.stateChange,
    activeEnterWallMs: stamps.activeEnter,
    activeExitWallMs: stamps.activeExit,
    inactiveEnterWallMs: stamps.inactiveEnter,
    inactiveExitWallMs: stamps.inactiveExit,
    canReload: kind.canReload(),
    nConnections: runtime.nConnections,
    nAccepted: runtime.nAccepted,
    nRefused: runtime.nRefused,
    needDaemonReload: needsDaemonReload(record.files),
    execSearchPath: context.execPath === DEFAULT_PATH ? [] : context.execPath.split(':').filter((dir) => dir !== ''),
    notEnforced: notEnforcedKeys(config, context.abilities),
  };
  const { runs, mainRun } = kind.runs();
  return {
    id: config.id,
    description: config.unit.description ?? config.id,
    loadState: config.loadState,
    loadError: config.loadError,
    activeState: kind.activeState,
    subState: kind.subState,
    result: kind.result,
    fragmentPath: config.fragmentPath,
    dropInPaths: config.dropInPaths,
    unitFileState: facts.unitFileState,
    stateChangeTime: sinceTime(kind.activeState, stamps),
    activeEnterTime: stamps.activeEnter,
    activeExitTime: stamps.activeExit,
    timestamps: { inactiveExit: stamps.inactiveExit, activeEnter: stamps.activeEnter, activeExit: stamps.activeExit, inactiveEnter: stamps.inactiveEnter, condition: stamps.condition, assert: stamps.assert, execMainStart: facts.execMain.startWallMs },
    mainPid: facts.mainPid,
    controlPid: facts.controlPid,
    statusText: facts.statusText,
    job: job ? { id: job.id, unit: job.unit, type: job.type, state: job.state } : undefined,
    runs,
    mainRun,
    processes: kind.processes(),
    ...(kind instanceof ServiceKind ? { tracking: kind.tracking.describe() } : {}),
    properties: unitProperties(config, facts, (k) => context.deps(config.id, k), kind.properties?.()),
    ...timerTimes(kind),
  };
}

/**
 * status's "since": systemctl's print_status_info() takes ActiveEnterTimestamp when active or reloading,
 * InactiveEnterTimestamp when inactive or failed, InactiveExitTimestamp when activating, else
 * ActiveExitTimestamp. A unit that failed without ever activating (dead → failed) prints none.
 */
function sinceTime(state: ActiveState, stamps: Stamps): number {
  if (isActiveOrReloading(state)) return stamps.activeEnter;
  if (isInactiveOrFailed(state)) return stamps.inactiveEnter;
  return state === 'activating' ? stamps.inactiveExit : stamps.activeExit;
}

/** A timer's next elapse and last trigger for status and list-timers (ms), if it has them. */
function timerTimes(kind: UnitKind): { nextElapseTime?: number; lastTriggerTime?: number } {
  const next = kind.nextElapseRealtime?.();
  const last = kind.lastTriggerRealtime?.();
  return { ...(next !== undefined ? { nextElapseTime: Math.floor(next / 1000) } : {}), ...(last !== undefined ? { lastTriggerTime: Math.floor(last / 1000) } : {}) };
}
