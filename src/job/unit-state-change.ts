// Jobs a unit's state change asks for: retroactive dependencies, BindsTo=, Upholds=, StopWhenUnneeded=, OnFailure=/OnSuccess= (systemd.unit(5); systemd 252 unit.c unit_notify and its check queues).
import { isActiveOrActivating, isInactiveOrFailed, type ActiveState } from '../unit/active-state.js';
import type { JobMode } from '../unit/model.js';
import { unitLine, type LogLine } from './job.js';
import type { JobType } from './job-type.js';
import type { InstalledJobs } from './installed-jobs.js';
import { triggeredStarts } from './run-queue.js';
import type { DependencyKind, UnitGraph } from './unit-graph.js';

/** A request the manager should make in response, with the line that explains it. */
export interface FollowUp {
  readonly unit: string;
  readonly type: JobType;
  readonly mode: JobMode;
  readonly log: LogLine | undefined;
}

export interface StateChange {
  readonly unit: string;
  readonly old: ActiveState;
  readonly new: ActiveState;
  /** No job of the unit caused it (the process exited, crashed, or started by itself). */
  readonly unexpected: boolean;
  /** The unit fails (or ends) only to restart on its own (Restart=): no OnFailure=/OnSuccess=. */
  readonly willAutoRestart?: boolean;
}

const inactiveOrDeactivating = (s: ActiveState) => isInactiveOrFailed(s) || s === 'deactivating';
/** Units whose activity keeps a StopWhenUnneeded= unit (PINS_STOP_WHEN_UNNEEDED). */
const PINS: readonly DependencyKind[] = ['RequiredBy', 'RequisiteOf', 'WantedBy', 'BoundBy', 'UpheldBy'];
/** The units this one needed, which may be unneeded once it is down (ADD_STOP_WHEN_UNNEEDED_QUEUE). */
const NEEDED: readonly DependencyKind[] = ['Requires', 'Wants', 'BindsTo', 'Upholds'];

/** unit_notify's follow-ups, in systemd's order. */
export function onUnitStateChange(graph: UnitGraph, installed: InstalledJobs, change: StateChange): FollowUp[] {
  const { unit, old, new: now } = change;
  const out: FollowUp[] = [];
  const add = (u: string, type: JobType, mode: JobMode, log?: LogLine) => out.push({ unit: u, type, mode, log });
  const addChecked = (f: FollowUp | undefined) => {
    // The manager enqueues follow-ups one by one, so a later check sees the job an earlier one queued.
    if (f && !out.some((o) => o.unit === f.unit && o.type === f.type)) out.push(f);
  };
  if (change.unexpected && isInactiveOrFailed(old) && isActiveOrActivating(now)) retroactivelyStart(graph, unit, add);
  if (change.unexpected && isActiveOrActivating(old) && inactiveOrDeactivating(now))
    // Only BindsTo= and PropagatesStopTo= follow a unit that stopped on its own; Requires= does not.
    for (const other of deps(graph, unit, ['BoundBy', 'PropagatesStopTo']))
      if (!inactiveOrDeactivating(graph.activeState(other))) add(other, 'stop', 'replace');
  const triggers = change.willAutoRestart !== true;
  if (triggers && now === 'failed' && old !== 'failed') for (const t of triggerOn(graph, unit, 'OnFailure')) out.push(t);
  if (triggers && now === 'inactive' && !isInactiveOrFailed(old)) for (const t of triggerOn(graph, unit, 'OnSuccess')) out.push(t);
  if (isInactiveOrFailed(now)) {
    for (const other of deps(graph, unit, ['BoundBy'])) addChecked(checkBindsTo(graph, installed, other));
    for (const other of deps(graph, unit, NEEDED)) addChecked(checkUnneeded(graph, installed, other));
    addChecked(checkUpheld(graph, installed, unit));
  }
  if (isActiveOrActivating(now)) for (const other of deps(graph, unit, ['Upholds'])) addChecked(checkUpheld(graph, installed, other));
  return out;
}

function retroactivelyStart(graph: UnitGraph, unit: string, add: (u: string, t: JobType, m: JobMode) => void): void {
  const after = new Set(graph.deps(unit, 'After'));
  for (const other of deps(graph, unit, ['Requires', 'BindsTo', 'Upholds']))
    if (!after.has(other) && !isActiveOrActivating(graph.activeState(other))) add(other, 'start', 'replace');
  for (const other of deps(graph, unit, ['Wants']))
    if (!after.has(other) && !isActiveOrActivating(graph.activeState(other))) add(other, 'start', 'fail');
  for (const other of deps(graph, unit, ['Conflicts', 'ConflictedBy']))
    if (!inactiveOrDeactivating(graph.activeState(other))) add(other, 'stop', 'replace');
}

/** unit_check_binds_to: an active unit whose BindsTo= unit is down (and not coming up) stops too. */
export function checkBindsTo(graph: UnitGraph, installed: InstalledJobs, unit: string): FollowUp | undefined {
  const state = graph.activeState(unit);
  if (isInactiveOrFailed(state) || state === 'deactivating' || installed.forUnit(unit)) return undefined;
  for (const other of graph.deps(unit, 'BindsTo')) {
    if (installed.forUnit(other) || !isInactiveOrFailed(graph.activeState(other))) continue;
    return { unit, type: 'stop', mode: 'replace', log: unitLine('info', unit, `Unit is bound to inactive unit ${other}. Stopping, too.`) };
  }
  return undefined;
}

/** unit_check_unneeded: StopWhenUnneeded= units with nothing active left that needs them. */
export function checkUnneeded(graph: UnitGraph, installed: InstalledJobs, unit: string): FollowUp | undefined {
  if (!graph.info(unit)?.stopWhenUnneeded || installed.forUnit(unit) || !isActiveOrActivating(graph.activeState(unit))) return undefined;
  for (const other of deps(graph, unit, PINS)) if (installed.forUnit(other) || isActiveOrActivating(graph.activeState(other))) return undefined;
  return { unit, type: 'stop', mode: 'fail', log: unitLine('info', unit, 'Unit not needed anymore. Stopping.') };
}

/** unit_check_upheld: an inactive unit that an active unit Upholds= is started again. */
export function checkUpheld(graph: UnitGraph, installed: InstalledJobs, unit: string): FollowUp | undefined {
  if (!isInactiveOrFailed(graph.activeState(unit)) || installed.forUnit(unit) || graph.loadState(unit) !== 'loaded') return undefined;
  for (const other of graph.deps(unit, 'UpheldBy'))
    if (isActiveOrActivating(graph.activeState(other)))
      return { unit, type: 'start', mode: 'replace', log: unitLine('info', unit, `Unit is started because upheld by active unit ${other}.`) };
  return undefined;
}

function triggerOn(graph: UnitGraph, unit: string, kind: 'OnFailure' | 'OnSuccess'): FollowUp[] {
  const log: LogLine[] = [];
  const starts = triggeredStarts(graph, unit, kind, log);
  return starts.map((s, i) => ({ unit: s.unit, type: 'start', mode: s.mode, log: i === 0 ? log[0] : undefined }));
}

function deps(graph: UnitGraph, unit: string, kinds: readonly DependencyKind[]): string[] {
  const seen = new Set<string>();
  for (const k of kinds) for (const u of graph.deps(unit, k)) seen.add(u);
  return [...seen];
}
