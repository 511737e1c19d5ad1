// The dependency graph the scheduler reads: both directions of every edge (systemd.unit(5) "Mapping of unit properties to their inverses").
import { DEPENDENCY_KINDS, REVERSE_DEPENDENCY, type DependencyKind } from '../unit/dependencies.js';
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

/** Kinds as small integers, so a unit's edges sit in one array instead of a map per unit. */
const KIND_INDEX = new Map<DependencyKind, number>(DEPENDENCY_KINDS.map((k, i) => [k, i]));
const FORWARD_INDEX = FORWARD_DEPENDENCIES.map((k) => KIND_INDEX.get(k)!);
const REVERSE_INDEX = FORWARD_DEPENDENCIES.map((k) => KIND_INDEX.get(REVERSE_DEPENDENCY[k])!);
/** Edge lists longer than this get a set to keep de-duplication linear (a target that Wants= thousands). */
const SCAN_LIMIT = 16;

/** One unit: its config, its edges, its live state; `name` is the one string every edge uses. */
interface Node {
  readonly name: string;
  config: UnitConfig | undefined;
  /** The kinds (as KIND_INDEX numbers) the unit has edges of, and the units under each. */
  kinds: number[];
  lists: string[][];
  state: ActiveState;
  info: UnitInfo | undefined;
}

/** A graph built from loaded configs; active states are set by whoever drives it (tests, benchmarks, the manager). */
export class DependencyGraph implements UnitGraph {
  /**
   * unit_add_dependency's result: a→b under kind and b→a under its reverse, once each. Every edge names
   * the node's own string, so the scheduler's lookups keyed by unit name compare strings by identity.
   */
  private readonly nodes = new Map<string, Node>();
  private readonly aliases = new Map<string, string>();

  constructor(configs: Iterable<UnitConfig>) {
    const all = [...configs];
    for (const c of all) {
      this.node(c.id).config = c;
      for (const a of c.aliases) if (a !== c.id) this.aliases.set(a, c.id);
    }
    // An edge may be declared on both ends; long lists check membership in a set while building.
    const sets = new Map<string[], Set<string>>();
    const push = (a: Node, kind: number, b: string) => {
      const at = a.kinds.indexOf(kind);
      if (at < 0) {
        a.kinds.push(kind);
        a.lists.push([b]);
        return;
      }
      const list = a.lists[at]!;
      if (list.length <= SCAN_LIMIT) {
        if (list.includes(b)) return;
        list.push(b);
        if (list.length > SCAN_LIMIT) sets.set(list, new Set(list));
        return;
      }
      const set = sets.get(list)!;
      if (set.has(b)) return;
      list.push(b);
      set.add(b);
    };
    for (let u = 0; u < all.length; u++) {
      const c = all[u]!;
      const a = this.nodes.get(c.id)!;
      for (let k = 0; k < FORWARD_DEPENDENCIES.length; k++) {
        const names = c.unit.dependencies[FORWARD_DEPENDENCIES[k]!];
        for (let i = 0; i < names.length; i++) {
          const id = this.resolve(names[i]!);
          if (id === c.id) continue; // systemd drops self-references
          const b = this.node(id);
          push(a, FORWARD_INDEX[k]!, b.name);
          push(b, REVERSE_INDEX[k]!, a.name);
        }
      }
    }
    // Arrays grown by push keep spare room; exact copies keep a graph of thousands of units small.
    this.nodes.forEach((n) => {
      if (n.kinds.length === 0) return;
      n.kinds = n.kinds.slice();
      n.lists = n.lists.map((l) => (l.length > 1 ? l.slice() : l));
    });
  }

  private node(name: string): Node {
    let n = this.nodes.get(name);
    if (!n) this.nodes.set(name, (n = { name, config: undefined, kinds: [], lists: [], state: 'inactive', info: undefined }));
    return n;
  }

  /** The primary name for an alias (or the name itself). */
  resolve(name: string): string {
    return this.aliases.size === 0 ? name : (this.aliases.get(name) ?? name);
  }

  config(unit: string): UnitConfig | undefined {
    return this.nodes.get(this.resolve(unit))?.config;
  }

  setActiveState(unit: string, state: ActiveState): void {
    this.node(unit).state = state;
  }

  units(): Iterable<string> {
    const all: string[] = [];
    for (const n of this.nodes.values()) if (n.config || n.kinds.length > 0) all.push(n.name);
    return all;
  }

  deps(unit: string, kind: DependencyKind): readonly string[] {
    const n = this.nodes.get(unit);
    const at = n ? n.kinds.indexOf(KIND_INDEX.get(kind)!) : -1;
    return at < 0 ? NONE : n!.lists[at]!;
  }

  loadState(unit: string): LoadState {
    return this.nodes.get(unit)?.config?.loadState ?? 'not-found';
  }

  activeState(unit: string): ActiveState {
    return this.nodes.get(unit)?.state ?? 'inactive';
  }

  info(unit: string): UnitInfo | undefined {
    const n = this.nodes.get(unit);
    const c = n?.config;
    if (!c) return undefined;
    return (n.info ??= {
      type: c.type,
      oneshot: c.service?.type === 'oneshot',
      description: c.unit.description,
      canReload: c.service !== undefined && (c.service.execReload.length > 0 || c.service.type === 'notify-reload'),
      allowIsolate: c.unit.allowIsolate,
      ignoreOnIsolate: c.unit.ignoreOnIsolate,
      stopWhenUnneeded: c.unit.stopWhenUnneeded,
      onFailureJobMode: c.unit.onFailureJobMode,
      refusedHere: c.refusedHere === true,
    });
  }
}

/** Builds the graph of `configs`, adding every reverse edge (a Before=b ⇒ b After=a). */
export const buildGraph = (configs: Iterable<UnitConfig>): DependencyGraph => new DependencyGraph(configs);

/** DESIGN's {desc}: "unit - Description" when Description= is set. */
export function describeUnit(graph: UnitGraph, unit: string): string {
  const d = graph.info(unit)?.description;
  return d ? `${unit} - ${d}` : unit;
}
