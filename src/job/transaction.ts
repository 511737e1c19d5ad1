// activate(): turn one request into the set of jobs to install, as systemd 252 transaction_activate does (src/core/transaction.c, manager_add_job).
import { ok, err, type Result } from '../common/result.js';
import { unitLine, type Job, type LogLine } from './job.js';
import { checkJobMode, JOB_MODE_RULES, type JobMode, type JobModeRules } from './job-mode.js';
import { collapse, isConflicting, isRedundant, mergeAndCollapse, type JobType, type MergingJobType, type TransactionJobType } from './job-type.js';
import type { InstalledJobs } from './installed-jobs.js';
import { CYCLIC_ERROR, findOrderingCycle, type CycleNode, type CycleNodes } from './ordering.js';
import { installDecision, type InstallOutcome } from './install-decision.js';
import { stopsRunningUnit, Transaction, type TransactionError, type TrJob } from './transaction-builder.js';
import { CONFLICTS, LIVE, MATTERS, NONE, type JobLinks } from './transaction-links.js';
import type { UnitGraph } from './unit-graph.js';
import { holeyArray } from '../common/holey-array.js';

export type { TransactionError };

export interface JobRequest {
  readonly unit: string;
  readonly type: JobType;
  readonly mode: JobMode;
}

export interface PlannedJob {
  readonly id: number;
  readonly unit: string;
  readonly type: TransactionJobType;
  readonly irreversible: boolean;
  readonly ignoreOrder: boolean;
  /** What becomes of the unit's installed job, if it has one. */
  readonly installed: InstallOutcome | undefined;
}

export interface Plan {
  readonly anchor: PlannedJob;
  /** One job per unit, in the order the transaction reached them. */
  readonly jobs: readonly PlannedJob[];
  /** Installed jobs of other units canceled by isolate/flush. */
  readonly cancel: readonly number[];
  readonly log: readonly LogLine[];
  readonly nextJobId: number;
}

/** The numbered steps of transaction_activate, preceded by manager_add_job's checks. */
export function activate(graph: UnitGraph, installed: InstalledJobs, request: JobRequest): Result<Plan, TransactionError> {
  const rules = JOB_MODE_RULES[request.mode];
  const refused = checkJobMode(request.mode, request.type, graph.info(request.unit)?.allowIsolate ?? false);
  if (refused) return err({ code: 'invalid-mode', message: refused, log: [] });
  const type = collapse(request.type, graph.activeState(request.unit));
  const tr = new Transaction(graph, installed, installed.nextId, rules.irreversible);
  const opts = { ignoreRequirements: rules.ignoreRequirements, ignoreOrder: rules.ignoreOrder };
  const e = tr.addJobAndDependencies(type, request.unit, undefined, opts); // 0. the anchor and what it pulls in
  if (e) return err({ ...e, log: [...tr.log, ...e.log] });
  if (rules.stopOthers) tr.addIsolateJobs();
  markJobsThatMatter(tr); //                                         1. what the anchor job needs
  if (rules.minimizeImpact) minimizeImpact(tr); //                   2. don't stop running units needlessly
  dropRedundant(tr); //                                              3.
  const cyclic = breakOrderingCycles(tr, rules); //                  4–5. collect garbage, break cycles or fail
  if (cyclic) return err(cyclic);
  const conflict = mergeJobs(tr, rules); //                          6–7. one job per unit, or fail
  if (conflict) return err(conflict);
  if (tr.jobs.hadSeveral) dropRedundant(tr); //                      8. merging may have made more redundant
  const destructive = isDestructive(tr, request.mode); //            9.
  if (destructive) return err(destructive);
  return ok(toPlan(tr, rules)); //                                   10. what to install
}

function markJobsThatMatter(tr: Transaction): void {
  const work = tr.anchor ? [tr.anchor] : [];
  for (const j of work) j.matters = true;
  const links = tr.links;
  while (work.length > 0) {
    for (let l = links.firstPull[work.pop()!.index]!; l !== NONE; l = links.nextPull[l]!) {
      if ((links.flags[l]! & (LIVE | MATTERS)) !== (LIVE | MATTERS)) continue;
      const o = tr.job(links.object[l]!);
      if (!o.matters) {
        o.matters = true;
        work.push(o);
      }
    }
  }
}

/** transaction_minimize_impact (mode fail). */
function minimizeImpact(tr: Transaction): void {
  for (const j of tr.allJobs()) {
    if (j.deleted || j.matters) continue;
    const inst = tr.installed.forUnit(j.unit);
    const changesExisting = inst !== undefined && conflicting(j.type, inst.type);
    if (!stopsRunningUnit(tr.graph, j) && !changesExisting) continue;
    tr.log.push(unitLine('debug', j.unit, `Deleting ${j.unit}/${j.type} to minimize impact.`));
    tr.deleteJob(j, true);
  }
}

/** transaction_drop_redundant: drop a unit's jobs when all of them are no-ops. */
function dropRedundant(tr: Transaction): void {
  // Deleting without dependencies touches only this unit's entry, so the map can be walked as it shrinks.
  tr.jobs.forEach((list, unit) => {
    const state = tr.graph.activeStateOf(list[0]!.number);
    const inst = tr.installed.forUnit(unit);
    for (let i = 0; i < list.length; i++) {
      const k = list[i]!;
      if (k === tr.anchor || !isRedundant(k.type, state) || (inst !== undefined && conflicting(k.type, inst.type))) return;
    }
    for (const k of [...list]) tr.deleteJob(k, false); // deleting shortens the list
  });
}

/** transaction_collect_garbage: drop jobs that nothing pulls in any more. */
function collectGarbage(tr: Transaction): void {
  // Every job but the anchor was added with a link to it: only deleting jobs leaves one that nothing pulls in.
  if (tr.deletions === tr.collectedAt) return;
  const work = tr.allJobs();
  while (work.length > 0) {
    const j = work.pop()!;
    if (j.deleted || j === tr.anchor || j.parents > 0) continue;
    const pulled: TrJob[] = [];
    const links = tr.links;
    for (let l = links.firstPull[j.index]!; l !== NONE; l = links.nextPull[l]!) if ((links.flags[l]! & LIVE) !== 0) pulled.push(tr.job(links.object[l]!));
    tr.deleteJob(j, true);
    work.push(...pulled);
  }
  tr.collectedAt = tr.deletions;
}

function breakOrderingCycles(tr: Transaction, rules: JobModeRules): TransactionError | undefined {
  for (;;) {
    if (rules.collectGarbage) collectGarbage(tr);
    const nodes = new WalkNodes(tr.installed.byNumberIn(tr.graph));
    const roots: CycleNode[] = [];
    tr.jobs.forEach((list, unit) => {
      let n: CycleNode = list[0]!;
      if (list.length > 1) {
        let matters = false;
        for (let i = 0; i < list.length; i++) matters ||= list[i]!.matters;
        n = { unit, number: n.number, type: n.type, ignoreOrder: n.ignoreOrder, inTransaction: true, matters, mark: undefined };
      }
      n.mark = undefined;
      roots.push(n);
      if (n.number >= 0) nodes.set(n.number, n);
    });
    const outcome = findOrderingCycle(tr.graph, roots, nodes);
    if (outcome.kind === 'acyclic') return undefined;
    tr.log.push(...outcome.log);
    if (outcome.kind === 'unbreakable') return { code: 'cyclic', message: CYCLIC_ERROR, log: tr.log };
    tr.deleteUnit(outcome.deleteUnit);
  }
}

/**
 * Each unit's job as the cycle walk sees it, by unit number: the transaction's job (a node standing for the list
 * where a unit still has several), else the installed job, else none. A class rather than a closure per walk: the
 * walk's optimized code then calls the same function every time.
 */
class WalkNodes implements CycleNodes {
  /** null: the unit has no job; undefined: not looked at yet. */
  private readonly nodes: (CycleNode | null | undefined)[] = holeyArray();
  constructor(private readonly installed: readonly (Job | undefined)[]) {}

  set(unit: number, node: CycleNode): void {
    this.nodes[unit] = node;
  }

  at(unit: number): CycleNode | undefined {
    let n = this.nodes[unit];
    if (n === undefined) {
      const inst = this.installed[unit];
      this.nodes[unit] = n = inst ? { unit: inst.unit, number: unit, type: inst.type, ignoreOrder: inst.ignoreOrder, inTransaction: false, matters: false, mark: undefined } : null;
    }
    return n ?? undefined;
  }
}

/** transaction_merge_jobs with delete_one_unmergeable_job, repeated until every unit has one job. */
function mergeJobs(tr: Transaction, rules: JobModeRules): TransactionError | undefined {
  if (!tr.jobs.hadSeveral) return undefined;
  for (;;) {
    const conflict = firstConflict(tr);
    if (!conflict) break;
    const [j, k] = conflict;
    const victim = chooseVictim(tr.links, j, k);
    if (!victim) {
      const message = `Transaction contains conflicting jobs '${j.type}' and '${k.type}' for ${k.unit}. Probably contradicting requirement dependencies configured.`;
      return { code: 'conflicting-jobs', message, log: tr.log };
    }
    tr.log.push(unitLine('debug', victim.unit, `Fixing conflicting jobs ${j.unit}/${j.type},${k.unit}/${k.type} by deleting job ${victim.unit}/${victim.type}`));
    tr.deleteJob(victim, true);
    if (rules.collectGarbage) collectGarbage(tr);
  }
  tr.jobs.forEach((list, unit) => {
    if (list.length < 2) return;
    const state = tr.graph.activeState(unit);
    const keep = list.find((k) => k === tr.anchor) ?? list[0]!;
    for (const k of list) {
      if (k === keep) continue;
      keep.type = mergeTypes(keep.type, k.type, state);
      keep.matters ||= k.matters;
      keep.irreversible ||= k.irreversible;
      keep.ignoreOrder ||= k.ignoreOrder;
    }
    tr.jobs.keepOnly(keep);
  });
  return undefined;
}

function firstConflict(tr: Transaction): [TrJob, TrJob] | undefined {
  let found: [TrJob, TrJob] | undefined;
  tr.jobs.forEach((list) => {
    for (let a = 0; a < list.length && !found; a++)
      for (let b = a + 1; b < list.length && !found; b++) if (conflicting(list[a]!.type, list[b]!.type)) found = [list[a]!, list[b]!];
  });
  return found;
}

/** "Let's think positive and rather remove stops than starts -- except if something is being stopped because it is conflicted by another unit." */
function chooseVictim(links: JobLinks, j: TrJob, k: TrJob): TrJob | undefined {
  if (!j.matters && !k.matters) {
    const conflictedBy = (x: TrJob) => {
      for (let l = links.firstPulledBy[x.index]!; l !== NONE; l = links.nextPulledBy[l]!) if ((links.flags[l]! & (LIVE | CONFLICTS)) === (LIVE | CONFLICTS)) return true;
      return false;
    };
    if (j.type === 'stop') return conflictedBy(j) ? k : j;
    if (k.type === 'stop') return conflictedBy(k) ? j : k;
    return j;
  }
  if (!j.matters) return j;
  if (!k.matters) return k;
  return undefined;
}

/** transaction_is_destructive */
function isDestructive(tr: Transaction, mode: JobMode): TransactionError | undefined {
  if (tr.installed.size === 0) return undefined; // only a queued job can be replaced destructively
  const anchor = tr.anchor!;
  let destructive: TransactionError | undefined;
  tr.jobs.forEach((list, unit) => {
    const j = list[0];
    const inst = tr.installed.forUnit(unit);
    if (destructive || !j || !inst || !(mode === 'fail' || inst.irreversible) || !conflicting(inst.type, j.type)) return;
    const message = `Transaction for ${anchor.unit}/${anchor.type} is destructive (${unit} has '${inst.type}' job queued, but '${j.type}' is included in transaction).`;
    destructive = { code: 'destructive', message, log: tr.log };
  });
  return destructive;
}

function toPlan(tr: Transaction, rules: JobModeRules): Plan {
  const jobs: PlannedJob[] = [];
  let anchor: PlannedJob | undefined;
  tr.jobs.forEach((list, unit) => {
    const j = list[0];
    if (!j) return;
    const inst = tr.installed.forUnit(unit);
    const p: PlannedJob = { id: j.id, unit, type: j.type, irreversible: j.irreversible, ignoreOrder: j.ignoreOrder, installed: inst && installDecision(inst, j, tr.graph.activeState(unit)) };
    jobs.push(p);
    if (j === tr.anchor) anchor = p;
  });
  const cancel = rules.cancelOthers ? tr.installed.list().filter((i) => !tr.hasJobs(i.unit) && !tr.graph.info(i.unit)?.ignoreOnIsolate).map((i) => i.id) : [];
  if (!anchor) throw new Error('transaction lost its anchor job');
  return { anchor, jobs, cancel, log: tr.log, nextJobId: tr.nextId };
}

const conflicting = (a: TransactionJobType, b: TransactionJobType): boolean => a !== 'nop' && b !== 'nop' && isConflicting(a, b);

function mergeTypes(a: TransactionJobType, b: TransactionJobType, state: Parameters<typeof mergeAndCollapse>[2]): TransactionJobType {
  if (a === 'nop') return b;
  if (b === 'nop') return a;
  const t: MergingJobType | null = mergeAndCollapse(a, b, state);
  if (t === null) throw new Error(`merging conflicting jobs ${a} and ${b}`);
  return t;
}
