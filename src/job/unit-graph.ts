// The dependency graph the scheduler reads: both directions of every edge (systemd.unit(5) "Mapping of unit properties to their inverses").
import { DEPENDENCY_KINDS, REVERSE_DEPENDENCY, type DependencyKind } from '../unit/dependencies.js';
import type { ActiveState, LoadState } from '../unit/active-state.js';
import { FORWARD_DEPENDENCIES, type JobMode, type UnitConfig, type UnitType } from '../unit/model.js';
import { holeyArray } from '../common/holey-array.js';
import { grown } from '../common/grown-array.js';

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
  /** activeState() for a unit number numberOf() gave (-1: none). */
  activeStateOf(unit: number): ActiveState;
  info(unit: string): UnitInfo | undefined;
  /** info() for a unit number numberOf() gave (-1: none). */
  infoOf(unit: number): UnitInfo | undefined;
  /** The kinds unit number `unit` has edges of, a bit per kind number: a walk skips the kinds it has none of without asking. */
  kindsOf(unit: number): number;
  /**
   * Units as numbers, for loops over many edges without a lookup by name per edge: the unit's number
   * (-1 when nothing names it); its `kind` edges are edgeTargets[e] for e from edgeStart to edgeEnd, in
   * the order of deps(), each unit once.
   */
  numberOf(unit: string): number;
  /** The unit of a number numberOf() gave; the next questions about it by name are answered without a lookup. */
  nameOf(unit: number): string;
  edgeStart(unit: number, kind: KindNumber): number;
  edgeEnd(unit: number, kind: KindNumber): number;
  /** The unit number each edge leads to (read it, never write it). */
  readonly edgeTargets: { readonly [edge: number]: number };
}

const NONE: readonly string[] = Object.freeze([]);

/** Kinds as small integers: a unit's list of one kind sits at slot unit * KINDS + kind. */
const KINDS = DEPENDENCY_KINDS.length;
const KIND_INDEX = new Map<DependencyKind, number>(DEPENDENCY_KINDS.map((k, i) => [k, i]));
const FORWARD_INDEX = FORWARD_DEPENDENCIES.map((k) => KIND_INDEX.get(k)!);
const REVERSE_INDEX = FORWARD_DEPENDENCIES.map((k) => KIND_INDEX.get(REVERSE_DEPENDENCY[k])!);

/** A kind as a small integer, so loops over edges look no kind up by name; its bit in kindsOf() is 1 << it (27 kinds fit in 32 bits). */
export type KindNumber = number;
export const kindNumber = (kind: DependencyKind): KindNumber => KIND_INDEX.get(kind)!;

/**
 * Edge ends in declaration order: the slot (unit * KINDS + kind) each sits in and the unit it names. The arrays
 * double when full rather than being sized by a count beforehand: counting would read every config's lists once more.
 */
class EdgeEnds {
  slotOf = new Int32Array(1024);
  target = new Int32Array(1024);
  length = 0;
  add(slot: number, target: number): void {
    if (this.length === this.slotOf.length) {
      // grown(), which the transaction's links use too, rather than a method of this class: called a few times per
      // graph, such a method had no type feedback, and linkAll's optimized code deoptimized at its first call.
      this.slotOf = grown(this.slotOf, 2 * this.length, 0);
      this.target = grown(this.target, 2 * this.length, 0);
    }
    this.slotOf[this.length] = slot;
    this.target[this.length++] = target;
  }
}

/**
 * Where each slot's edges begin once grouped by slot, at start[slot + 1], counted there before the grouping moves
 * them down a place (slots + 2 entries, the last spare).
 */
function slotStarts(ends: EdgeEnds, slots: number): Int32Array {
  const start = new Int32Array(slots + 2);
  for (let e = 0; e < ends.length; e++) start[ends.slotOf[e]! + 2]!++;
  return runningSums(start, slots);
}

/**
 * start[s] summed with all before it, for s up to slots. A function of its own: a loop after a long one runs only
 * in the code V8 optimized the first loop into, so the next graph's optimized code would find no feedback for it.
 */
function runningSums(start: Int32Array, slots: number): Int32Array {
  for (let s = 2; s <= slots; s++) start[s]! += start[s - 1]!;
  return start;
}

/**
 * The edge targets grouped by slot, by a stable counting sort: each slot keeps declaration order. Placing
 * slot s's edges advances start[s + 1] from where s begins to where it ends, which is where s + 1 begins:
 * afterwards slot s's edges are sorted[start[s] .. start[s + 1]), with no copy of start made.
 */
function sortBySlot(ends: EdgeEnds, start: Int32Array): Int32Array {
  const sorted = new Int32Array(ends.length);
  for (let e = 0; e < ends.length; e++) sorted[start[ends.slotOf[e]! + 1]!++] = ends.target[e]!;
  return sorted;
}

/**
 * Keeps the first edge to each unit in each slot, moving the rest down in place (start is updated): an edge
 * may be declared on both ends (a Before=b, b After=a), and systemd records a dependency once.
 */
function dropRepeats(start: Int32Array, sorted: Int32Array, slots: number, units: number): void {
  const seen = new Int32Array(units); // per unit, the last slot (plus 1) that kept an edge to it
  let kept = 0;
  for (let s = 0; s < slots; s++) {
    const from = start[s]!;
    start[s] = kept;
    for (let e = from; e < start[s + 1]!; e++) {
      const b = sorted[e]!;
      if (seen[b] === s + 1) continue;
      seen[b] = s + 1;
      sorted[kept++] = b;
    }
  }
  start[slots] = kept;
}

/** Per unit, the kinds it has edges of, a bit per kind number. */
function kindsPerUnit(ends: EdgeEnds, units: number): Int32Array {
  const kinds = new Int32Array(units);
  for (let e = 0; e < ends.length; e++) {
    const slot = ends.slotOf[e]!;
    kinds[(slot / KINDS) | 0]! |= 1 << slot % KINDS;
  }
  return kinds;
}

/**
 * A graph built from loaded configs; active states are set by whoever drives it (tests, benchmarks, the manager).
 * Units are numbered once; per unit the config, state and info sit in arrays at its number, and each
 * (unit, kind) with edges has one exact-size list of names, made when first asked for. Every edge names the unit's own string, so
 * the scheduler's lookups keyed by unit name compare strings by identity.
 */
export class DependencyGraph implements UnitGraph {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = holeyArray();
  private readonly configs: (UnitConfig | undefined)[] = holeyArray();
  private readonly states: ActiveState[] = holeyArray();
  private readonly infos: (UnitInfo | undefined)[] = holeyArray();
  private readonly aliases = new Map<string, string>();
  /**
   * The edges grouped by slot (unit * KINDS + kind): slot s's targets are sorted[start[s] .. start[s + 1]),
   * in declaration order, each unit once, for the `slots` slots of the units numbered when the graph was built.
   * A slot's list of names is made the first time it is asked for (most reverse kinds never are) and kept in lists.
   */
  private readonly start: Int32Array;
  private readonly sorted: Int32Array;
  private readonly slots: number;
  readonly edgeTargets: { readonly [edge: number]: number };
  private readonly lists = new Map<number, readonly string[]>();
  /** Per unit, the kinds it has edges of, a bit per kind number. */
  private readonly kinds: Int32Array;
  /** The last unit looked up and its number: the scheduler asks about one unit several times in a row. */
  private lastName = '';
  private lastNumber = -1;

  // Each step is a small function of its own, its loop too: the constructor runs once per graph, and the
  // optimizing compiler compiles a hot loop's whole function (with all it inlines) when the loop runs long.
  constructor(configs: Iterable<UnitConfig>) {
    const all = [...configs];
    const numbers = this.declareAll(all);
    const ends = new EdgeEnds();
    this.linkAll(all, numbers, ends);
    const slots = (this.slots = this.names.length * KINDS);
    this.start = slotStarts(ends, slots);
    this.sorted = sortBySlot(ends, this.start);
    dropRepeats(this.start, this.sorted, slots, this.names.length);
    this.edgeTargets = this.sorted;
    this.kinds = kindsPerUnit(ends, this.names.length);
  }

  /** declare() for every config: their units' numbers. */
  private declareAll(all: readonly UnitConfig[]): Int32Array {
    const numbers = new Int32Array(all.length);
    for (let u = 0; u < all.length; u++) numbers[u] = this.declare(all[u]!);
    return numbers;
  }

  /** link() for every config, numbered by declareAll(). */
  private linkAll(all: readonly UnitConfig[], numbers: Int32Array, ends: EdgeEnds): void {
    for (let u = 0; u < all.length; u++) this.link(all[u]!, numbers[u]!, ends);
  }

  /** Numbers a config's unit and records its aliases; returns the unit's number. */
  private declare(c: UnitConfig): number {
    const a = this.number(c.id);
    this.configs[a] = c;
    for (const alias of c.aliases) if (alias !== c.id) this.aliases.set(alias, c.id);
    return a;
  }

  /** unit_add_dependency's result for each edge the config declares: a→b under kind and b→a under its reverse. */
  private link(c: UnitConfig, a: number, ends: EdgeEnds): void {
    const deps = c.unit.dependencies;
    for (let k = 0; k < FORWARD_DEPENDENCIES.length; k++) {
      const names = deps[FORWARD_DEPENDENCIES[k]!];
      for (let i = 0; i < names.length; i++) {
        const b = this.number(this.resolve(names[i]!));
        if (b === a) continue; // systemd drops self-references (compared by number: names are equal only by content)
        ends.add(a * KINDS + FORWARD_INDEX[k]!, b);
        ends.add(b * KINDS + REVERSE_INDEX[k]!, a);
      }
    }
  }

  /** Slot s's names, each once, first declaration first. */
  private list(s: number): readonly string[] {
    const from = this.start[s]!;
    const to = this.start[s + 1]!;
    if (from === to) return NONE;
    const list = new Array<string>(to - from);
    for (let e = from; e < to; e++) list[e - from] = this.names[this.sorted[e]!]!;
    this.lists.set(s, list);
    return list;
  }

  private number(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.lastName = ''; // it may have been looked up as unknown
      this.names.push(name);
      this.configs.push(undefined);
      this.states.push('inactive');
      this.infos.push(undefined);
    }
    return i;
  }

  /** The primary name for an alias (or the name itself). */
  resolve(name: string): string {
    return this.aliases.size === 0 ? name : (this.aliases.get(name) ?? name);
  }

  config(unit: string): UnitConfig | undefined {
    const i = this.index.get(this.resolve(unit));
    return i === undefined ? undefined : this.configs[i];
  }

  setActiveState(unit: string, state: ActiveState): void {
    // find() first: the unit is then the last looked up, which the next question about it (its job's message) finds.
    const i = this.find(unit);
    this.states[i >= 0 ? i : this.number(unit)] = state;
  }

  private hasEdges(i: number): boolean {
    return i * KINDS < this.slots && this.start[(i + 1) * KINDS]! > this.start[i * KINDS]!;
  }

  units(): Iterable<string> {
    const all: string[] = [];
    for (let i = 0; i < this.names.length; i++) if (this.configs[i] || this.hasEdges(i)) all.push(this.names[i]!);
    return all;
  }

  kindsOf(unit: number): number {
    return unit < 0 || unit >= this.kinds.length ? 0 : this.kinds[unit]!;
  }

  numberOf(unit: string): number {
    return this.find(unit);
  }

  nameOf(unit: number): string {
    this.lastName = this.names[unit]!;
    this.lastNumber = unit;
    return this.lastName;
  }

  edgeStart(unit: number, kind: KindNumber): number {
    return unit < 0 || unit * KINDS >= this.slots ? 0 : this.start[unit * KINDS + kind]!;
  }

  edgeEnd(unit: number, kind: KindNumber): number {
    return unit < 0 || unit * KINDS >= this.slots ? 0 : this.start[unit * KINDS + kind + 1]!;
  }

  /** The unit's number, or -1 when nothing names it. */
  private find(unit: string): number {
    if (unit !== this.lastName) {
      this.lastName = unit;
      this.lastNumber = this.index.get(unit) ?? -1;
    }
    return this.lastNumber;
  }

  deps(unit: string, kind: DependencyKind): readonly string[] {
    const i = this.find(unit);
    if (i < 0 || i * KINDS >= this.slots) return NONE;
    const s = i * KINDS + KIND_INDEX.get(kind)!;
    return this.lists.get(s) ?? this.list(s);
  }

  loadState(unit: string): LoadState {
    const i = this.find(unit);
    return (i < 0 ? undefined : this.configs[i]?.loadState) ?? 'not-found';
  }

  activeState(unit: string): ActiveState {
    return this.activeStateOf(this.find(unit));
  }

  activeStateOf(i: number): ActiveState {
    return i < 0 ? 'inactive' : this.states[i]!;
  }

  info(unit: string): UnitInfo | undefined {
    return this.infoOf(this.find(unit));
  }

  infoOf(i: number): UnitInfo | undefined {
    const c = i < 0 ? undefined : this.configs[i];
    if (!c) return undefined;
    return (this.infos[i] ??= {
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
export const describeUnit = (graph: UnitGraph, unit: string): string => describeInfo(unit, graph.info(unit));

/** describeUnit for a unit whose info is at hand. */
export function describeInfo(unit: string, info: UnitInfo | undefined): string {
  const d = info?.description;
  return d ? `${unit} - ${d}` : unit;
}
