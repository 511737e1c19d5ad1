// Dependency kinds and their reverse names, and the order `systemctl show` prints them (systemd.unit(5), dbus-unit.c).
import type { ForwardDependency } from './model.js';

/** Every dependency kind a loaded unit can hold: the forward ones from unit files and their reverses. */
export const DEPENDENCY_KINDS = [
  'Requires',
  'Requisite',
  'Wants',
  'BindsTo',
  'PartOf',
  'Upholds',
  'RequiredBy',
  'RequisiteOf',
  'WantedBy',
  'BoundBy',
  'UpheldBy',
  'ConsistsOf',
  'Conflicts',
  'ConflictedBy',
  'Before',
  'After',
  'OnSuccess',
  'OnSuccessOf',
  'OnFailure',
  'OnFailureOf',
  'Triggers',
  'TriggeredBy',
  'PropagatesReloadTo',
  'ReloadPropagatedFrom',
  'PropagatesStopTo',
  'StopPropagatedFrom',
  'JoinsNamespaceOf',
] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

/**
 * Each kind and its reverse: adding "a Requires b" also records "b RequiredBy a".
 * Before/After, PropagatesReloadTo/ReloadPropagatedFrom and PropagatesStopTo/StopPropagatedFrom
 * are each other's reverses, so both halves appear as forward settings in unit files.
 */
export const REVERSE_DEPENDENCY: Readonly<Record<DependencyKind, DependencyKind>> = {
  Requires: 'RequiredBy',
  RequiredBy: 'Requires',
  Requisite: 'RequisiteOf',
  RequisiteOf: 'Requisite',
  Wants: 'WantedBy',
  WantedBy: 'Wants',
  BindsTo: 'BoundBy',
  BoundBy: 'BindsTo',
  PartOf: 'ConsistsOf',
  ConsistsOf: 'PartOf',
  Upholds: 'UpheldBy',
  UpheldBy: 'Upholds',
  Conflicts: 'ConflictedBy',
  ConflictedBy: 'Conflicts',
  Before: 'After',
  After: 'Before',
  OnFailure: 'OnFailureOf',
  OnFailureOf: 'OnFailure',
  OnSuccess: 'OnSuccessOf',
  OnSuccessOf: 'OnSuccess',
  Triggers: 'TriggeredBy',
  TriggeredBy: 'Triggers',
  PropagatesReloadTo: 'ReloadPropagatedFrom',
  ReloadPropagatedFrom: 'PropagatesReloadTo',
  PropagatesStopTo: 'StopPropagatedFrom',
  StopPropagatedFrom: 'PropagatesStopTo',
  JoinsNamespaceOf: 'JoinsNamespaceOf',
};

/** The order in which `systemctl show` prints dependency properties (the D-Bus vtable order). */
export const SHOW_DEPENDENCY_ORDER: readonly DependencyKind[] = DEPENDENCY_KINDS;

export const reverseDependency = (kind: DependencyKind): DependencyKind => REVERSE_DEPENDENCY[kind];

/** An empty DeclaredDependencies value, one empty list per forward kind. */
export function emptyDependencies(): Record<ForwardDependency, string[]> {
  return {
    Requires: [],
    Requisite: [],
    Wants: [],
    BindsTo: [],
    PartOf: [],
    Upholds: [],
    Conflicts: [],
    Before: [],
    After: [],
    OnFailure: [],
    OnSuccess: [],
    PropagatesReloadTo: [],
    ReloadPropagatedFrom: [],
    PropagatesStopTo: [],
    StopPropagatedFrom: [],
    Triggers: [],
  };
}
