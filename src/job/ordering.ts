// Job ordering: which of two related jobs runs first, and ordering-cycle detection with systemd's log lines (systemd 252 job.c job_compare, transaction.c transaction_verify_order_one).
import { unitLine, type LogLine } from './job.js';
import { isStopLike, type TransactionJobType } from './job-type.js';
import { kindNumber, type UnitGraph } from './unit-graph.js';
import { holeyArray } from '../common/holey-array.js';

export type OrderingKind = 'Before' | 'After';
export const ORDERING_KINDS: readonly OrderingKind[] = ['Before', 'After'];
/** ORDERING_KINDS as kind numbers, for UnitGraph.edgeStart/edgeEnd. */
export const ORDERING_KIND_NUMBERS: readonly number[] = ORDERING_KINDS.map(kindNumber);
/** Before= and After= as kind numbers. */
export const BEFORE = ORDERING_KIND_NUMBERS[0]!;
export const AFTER = ORDERING_KIND_NUMBERS[1]!;

/** What ordering looks at in a job: its unit, its type, and whether it ignores order. */
export interface OrderedJob {
  readonly unit: string;
  readonly type: TransactionJobType;
  readonly ignoreOrder: boolean;
}

/**
 * job_compare: given that a's unit has `kind` (Before=/After=) on b's unit, <0 if a runs first,
 * >0 if b runs first, 0 if they are not ordered. "JOB_STOP goes always first"; a restart is a stop
 * in disguise, so a shutdown is always ordered before a start-up whichever way the edge points.
 */
export function jobCompare(a: OrderedJob, b: OrderedJob, kind: OrderingKind): number {
  if (!isOrdered(a) || !isOrdered(b)) return 0;
  return kind === 'After' ? afterSign(a) : beforeSign(b);
}

/** Whether a job takes part in ordering at all: job_compare orders neither nop jobs nor jobs ignoring order. */
export const isOrdered = (j: OrderedJob): boolean => j.type !== 'nop' && !j.ignoreOrder;

/**
 * jobCompare(a, b, 'After') for ordered jobs, which a's type alone decides (a After b is b Before a, with the sign
 * turned): a loop over a's After= edges knows before its first edge whether any of them can order a.
 */
export const afterSign = (a: OrderedJob): number => (isStopLike(a.type) ? -1 : 1);

/** jobCompare(a, b, 'Before') for ordered jobs, which b's type alone decides. */
export const beforeSign = (b: OrderedJob): number => (isStopLike(b.type) ? 1 : -1);

/** A job seen by the cycle walk: a transaction job (deletable) or an installed one. */
export interface CycleNode extends OrderedJob {
  /** The unit's number in the graph walked (numberOf), -1 when nothing names it there. */
  readonly number: number;
  readonly inTransaction: boolean;
  /** Whether some job of this unit in the transaction matters to the anchor (unit_matters_to_anchor). */
  readonly matters: boolean;
  /**
   * The walk's mark (systemd's j->marker): where the walk came from (the node itself for a root) while the
   * node is on the path, DONE once it is known loop-free, undefined before the walk reaches it.
   * Kept on the node, so the walk needs no map of the jobs it has seen; the caller clears it before a walk.
   */
  mark: CycleNode | undefined;
}

/** The jobs a cycle walk sees, by unit number. */
export interface CycleNodes {
  /** The job of unit number `unit` as the walk sees it, undefined when the unit has none. */
  at(unit: number): CycleNode | undefined;
}

export type CycleOutcome =
  | { readonly kind: 'acyclic' }
  | { readonly kind: 'broken'; readonly deleteUnit: string; readonly log: readonly LogLine[] }
  | { readonly kind: 'unbreakable'; readonly log: readonly LogLine[] };

export const CYCLIC_ERROR = 'Transaction order is cyclic. See system logs for details.';

const DONE: CycleNode = { unit: '', number: -1, type: 'nop', ignoreOrder: true, inTransaction: false, matters: false, mark: undefined };

/**
 * transaction_verify_order: a depth-first walk along "runs before" edges from every transaction job
 * (roots in transaction order), over transaction jobs and, where a unit has none, its installed job.
 * On the first cycle it picks the first job back along the path that does not matter to the anchor.
 */
export function findOrderingCycle(graph: UnitGraph, roots: readonly CycleNode[], nodes: CycleNodes): CycleOutcome {
  const walk = new CycleWalk(graph, nodes);
  for (let r = 0; r < roots.length; r++) {
    const root = roots[r]!;
    if (root.mark !== undefined) continue;
    walk.start(root);
    do {
      const cycle = walk.step();
      if (cycle) return cycle;
    } while (walk.depth > 0);
  }
  return { kind: 'acyclic' };
}

/**
 * One walk's path, kept in arrays indexed by depth (the node, the next edge to look at and where the edges being
 * looked at end), written in place as the walk goes down and up, not an object per job. The walk goes one step per
 * call of step(): findOrderingCycle runs once per transaction, and with the walk's loop in it the optimizing compiler
 * compiled it at entry, for a next call that never came; step() is compiled once, being called often.
 */
class CycleWalk {
  private readonly path: CycleNode[] = holeyArray();
  private readonly cursor: number[] = [];
  private readonly end: number[] = [];
  /** Whether the entry is past its Before= edges and on its After= ones (edges by unit number; a unit named twice is looked at twice, which finds nothing new). */
  private readonly onAfter: boolean[] = holeyArray();
  private readonly targets: { readonly [edge: number]: number };
  /** The node to enter at the next step (undefined: go on with the top one), and the node it was reached from. */
  private next: CycleNode | undefined;
  private node: CycleNode | undefined;
  depth = 0;

  constructor(
    private readonly graph: UnitGraph,
    private readonly nodes: CycleNodes,
  ) {
    this.targets = graph.edgeTargets;
  }

  /**
   * The root enters the path by the same statements as every node below it (its mark: itself), so that the
   * feedback they gather from the whole walk covers it: a walk's first statements run before V8 keeps any.
   */
  start(root: CycleNode): void {
    this.next = this.node = root;
    this.depth = 0;
  }

  /** Enters the next node, then finds the top node's next edge, or leaves the top node; returns a cycle found. */
  step(): CycleOutcome | undefined {
    const { path, cursor, end, onAfter, graph } = this;
    let next = this.next;
    if (next) {
      next.mark = this.node;
      path[this.depth] = next;
      // A job that is not ordered runs before nothing: its edges are passed over, After= ones too (see below).
      const ordered = isOrdered(next);
      cursor[this.depth] = ordered ? graph.edgeStart(next.number, BEFORE) : 0;
      end[this.depth] = ordered ? graph.edgeEnd(next.number, BEFORE) : 0;
      onAfter[this.depth++] = false;
    }
    const top = this.depth - 1;
    const node = (this.node = path[top]!);
    next = undefined;
    // Follow only edges along which this job really runs before the other one (jobCompare < 0): its Before= edges
    // to ordered jobs that are not stop-like, then, when it is stop-like itself, its After= edges to ordered jobs.
    for (;;) {
      while (!next && cursor[top]! < end[top]!) {
        const o = this.nodes.at(this.targets[cursor[top]!++]!);
        if (o && isOrdered(o) && (onAfter[top] || beforeSign(o) < 0)) next = o;
      }
      if (next || onAfter[top]) break;
      onAfter[top] = true;
      const follows = isOrdered(node) && afterSign(node) < 0;
      cursor[top] = follows ? graph.edgeStart(node.number, AFTER) : 0;
      end[top] = follows ? graph.edgeEnd(node.number, AFTER) : 0;
    }
    if (!next) {
      node.mark = DONE;
      this.depth--;
    } else if (next.mark !== undefined) {
      if (next.mark !== DONE) return describeCycle(next, node);
      next = undefined;
    }
    this.next = next;
    return undefined;
  }
}

function describeCycle(j: CycleNode, from: CycleNode): CycleOutcome {
  const path: CycleNode[] = [];
  let victim: CycleNode | undefined;
  for (let k: CycleNode | undefined = from; k; ) {
    path.push(k);
    if (!victim && k.inTransaction && !k.matters) victim = k;
    if (k === j) break;
    k = k.mark === k ? undefined : k.mark;
  }
  // Every line is filed under j's unit, "to provide a consistent narrative".
  const log: LogLine[] = path.map((k, i) => unitLine('warning', j.unit, `Found ${i === 0 ? 'ordering cycle' : 'dependency'} on ${k.unit}/${k.type}`));
  if (victim) {
    log.push(unitLine('error', j.unit, `Job ${victim.unit}/${victim.type} deleted to break ordering cycle starting with ${j.unit}/${j.type}`));
    return { kind: 'broken', deleteUnit: victim.unit, log };
  }
  log.push(unitLine('error', j.unit, `Unable to break cycle starting with ${j.unit}/${j.type}`));
  return { kind: 'unbreakable', log };
}
