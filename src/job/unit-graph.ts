// The dependency graph the scheduler reads: both directions of every edge (systemd.unit(5) "Mapping of unit properties to their inverses").
import { REVERSE_DEPENDENCY, type DependencyKind } from '../unit/dependencies.js';
import type { ActiveState, LoadState } from '../unit/active-state.js';
import { FORWARD_DEPENDENCIES, type JobMode, type UnitConfig, type UnitType } from '../unit/model.js';

export type { DependencyKind };

/** Per-unit facts the transaction and the messages need besides edges. */
export interface UnitInfo {
  readonly type: UnitType;
  readonly oneshot: boolean;
  readonly description: string | undefined;
  /** unit_can_reload: services with ExecReload= (or Type=notify-reload); never targets. */
  readonly canReload: boolean;
  readonly allowIsolate: boolean;
  readonly ignoreOnIsolate: boolean;
  readonly stopWhenUnneeded: boolean;
  readonly onFailureJobMode: JobMode;
  /** Refused by unitvisor for a feature it lacks, not by systemd's rules (UnitConfig.refusedHere). */
  readonly refusedHere: boolean;
}

/** What the scheduler asks about units; the manager answers with live states. */
export interface UnitGraph {
  /** Every unit known, loaded or merely referenced. */
  units(): Iterable<string>;
  /** Units on the other end of `kind` edges, both declared and implied by reverse declarations. */
  deps(unit: string, kind: DependencyKind): readonly string[];
  /** 'not-found' for names nothing declares. */
  loadState(unit: string): LoadState;
  activeState(unit: string): ActiveState;
  info(unit: string): UnitInfo | undefined;
}

const NONE: readonly string[] = Object.freeze([]);

/** A graph built from loaded configs; active states are set by whoever drives it (tests, benchmarks, the manager). */
export class DependencyGraph implements UnitGraph {
  /** unit_add_dependency's result: a→b under kind and b→a under its reverse, once each. */
  private readonly edges = new Map<string, Map<DependencyKind, readonly string[]>>();
  private readonly configs = new Map<string, UnitConfig>();
  private readonly aliases = new Map<string, string>();
  private readonly infos = new Map<string, UnitInfo>();
  private readonly states = new Map<string, ActiveState>();

  constructor(configs: Iterable<UnitConfig>) {
    const list = [...configs];
    for (const c of list) {
      this.configs.set(c.id, c);
      for (const a of c.aliases) if (a !== c.id) this.aliases.set(a, c.id);
    }
    // Sets while building (an edge may be declared on both ends), frozen to arrays for reading.
    const building = new Map<string, Map<DependencyKind, Set<string>>>();
    const push = (a: string, kind: DependencyKind, b: string) => {
      let byKind = building.get(a);
      if (!byKind) building.set(a, (byKind = new Map()));
      let set = byKind.get(kind);
      if (!set) byKind.set(kind, (set = new Set()));
      set.add(b);
    };
    for (const c of list)
      for (const kind of FORWARD_DEPENDENCIES)
        for (const name of c.unit.dependencies[kind]) {
          const b = this.resolve(name);
          if (b === c.id) continue; // systemd drops self-references
          push(c.id, kind, b);
          push(b, REVERSE_DEPENDENCY[kind], c.id);
        }
    for (const [unit, byKind] of building) this.edges.set(unit, new Map([...byKind].map(([k, set]) => [k, [...set]])));
  }

  /** The primary name for an alias (or the name itself). */
  resolve(name: string): string {
    return this.aliases.get(name) ?? name;
  }

  config(unit: string): UnitConfig | undefined {
    return this.configs.get(this.resolve(unit));
  }

  setActiveState(unit: string, state: ActiveState): void {
    this.states.set(unit, state);
  }

  units(): Iterable<string> {
    const all = new Set<string>(this.configs.keys());
    for (const u of this.edges.keys()) all.add(u);
    return all;
  }

  deps(unit: string, kind: DependencyKind): readonly string[] {
    return this.edges.get(unit)?.get(kind) ?? NONE;
  }

  loadState(unit: string): LoadState {
    return this.configs.get(unit)?.loadState ?? 'not-found';
  }

  activeState(unit: string): ActiveState {
    return this.states.get(unit) ?? 'inactive';
  }

  info(unit: string): UnitInfo | undefined {
    const cached = this.infos.get(unit);
    if (cached) return cached;
    const c = this.configs.get(unit);
    if (!c) return undefined;
    const info: UnitInfo = {
      type: c.type,
      oneshot: c.service?.type === 'oneshot',
      description: c.unit.description,
      canReload: c.service !== undefined && (c.service.execReload.length > 0 || c.service.type === 'notify-reload'),
      allowIsolate: c.unit.allowIsolate,
      ignoreOnIsolate: c.unit.ignoreOnIsolate,
      stopWhenUnneeded: c.unit.stopWhenUnneeded,
      onFailureJobMode: c.unit.onFailureJobMode,
      refusedHere: c.refusedHere === true,
    };
    this.infos.set(unit, info);
    return info;
  }
}

/** Builds the graph of `configs`, adding every reverse edge (a Before=b ⇒ b After=a). */
export const buildGraph = (configs: Iterable<UnitConfig>): DependencyGraph => new DependencyGraph(configs);

/** DESIGN's {desc}: "unit - Description" when Description= is set. */
export function describeUnit(graph: UnitGraph, unit: string): string {
  const d = graph.info(unit)?.description;
  return d ? `${unit} - ${d}` : unit;
}
