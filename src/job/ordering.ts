// Job ordering: which of two related jobs runs first, and ordering-cycle detection with systemd's log lines (systemd 252 job.c job_compare, transaction.c transaction_verify_order_one).
import { unitLine, type LogLine } from './job.js';
import { isStopLike, type TransactionJobType } from './job-type.js';
import type { UnitGraph } from './unit-graph.js';

export type OrderingKind = 'Before' | 'After';
export const ORDERING_KINDS: readonly OrderingKind[] = ['Before', 'After'];

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
  if (a.type === 'nop' || b.type === 'nop') return 0;
  if (a.ignoreOrder || b.ignoreOrder) return 0;
  if (kind === 'After') return -jobCompare(b, a, 'Before');
  return isStopLike(b.type) ? 1 : -1;
}

/** A job seen by the cycle walk: a transaction job (deletable) or an installed one. */
export interface CycleNode extends OrderedJob {
  readonly inTransaction: boolean;
  /** Whether some job of this unit in the transaction matters to the anchor (unit_matters_to_anchor). */
  readonly matters: boolean;
}

export type CycleOutcome =
  | { readonly kind: 'acyclic' }
  | { readonly kind: 'broken'; readonly deleteUnit: string; readonly log: readonly LogLine[] }
  | { readonly kind: 'unbreakable'; readonly log: readonly LogLine[] };

export const CYCLIC_ERROR = 'Transaction order is cyclic. See system logs for details.';

const DONE: CycleNode = { unit: '', type: 'nop', ignoreOrder: true, inTransaction: false, matters: false };

interface Frame {
  readonly node: CycleNode;
  /** The units this job's unit is Before= (dir 0) and After= (dir 1). */
  readonly before: readonly string[];
  readonly after: readonly string[];
  dir: number;
  idx: number;
}

/**
 * transaction_verify_order: a depth-first walk along "runs before" edges from every transaction job
 * (roots in transaction order), over transaction jobs and, where a unit has none, its installed job.
 * On the first cycle it picks the first job back along the path that does not matter to the anchor.
 */
export function findOrderingCycle(
  graph: UnitGraph,
  roots: Iterable<CycleNode>,
  jobFor: (unit: string) => CycleNode | undefined,
): CycleOutcome {
  // Where the walk came from (the node itself for a root) while a node is on the path; DONE once it is known loop-free.
  const marker = new Map<CycleNode, CycleNode>();
  const open = (node: CycleNode, from: CycleNode | undefined): Frame => {
    marker.set(node, from ?? node);
    return { node, before: graph.deps(node.unit, 'Before'), after: graph.deps(node.unit, 'After'), dir: 0, idx: 0 };
  };
  for (const root of roots) {
    if (marker.has(root)) continue;
    const stack: Frame[] = [open(root, undefined)];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = nextSuccessor(top, jobFor);
      if (!next) {
        marker.set(top.node, DONE);
        stack.pop();
        continue;
      }
      const m = marker.get(next);
      if (m === undefined) stack.push(open(next, top.node));
      else if (m !== DONE) return describeCycle(next, top.node, marker);
    }
  }
  return { kind: 'acyclic' };
}

function nextSuccessor(frame: Frame, jobFor: (unit: string) => CycleNode | undefined): CycleNode | undefined {
  while (frame.dir < ORDERING_KINDS.length) {
    const kind = ORDERING_KINDS[frame.dir]!;
    const units = frame.dir === 0 ? frame.before : frame.after;
    while (frame.idx < units.length) {
      const o = jobFor(units[frame.idx++]!);
      // Follow only edges along which this job really runs before the other one.
      if (o && jobCompare(frame.node, o, kind) < 0) return o;
    }
    frame.dir++;
    frame.idx = 0;
  }
  return undefined;
}

function describeCycle(j: CycleNode, from: CycleNode, marker: Map<CycleNode, CycleNode>): CycleOutcome {
  const path: CycleNode[] = [];
  let victim: CycleNode | undefined;
  for (let k: CycleNode | undefined = from; k; ) {
    path.push(k);
    if (!victim && k.inTransaction && !k.matters) victim = k;
    if (k === j) break;
    const m = marker.get(k);
    k = m === k ? undefined : m;
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
