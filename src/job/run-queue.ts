// Installing planned jobs, choosing which may run now, and finishing them with systemd's propagation (systemd 252 job.c job_install, job_is_runnable, job_finish_and_invalidate, job_fail_dependencies; manager.c compare_job_priority).
import { isActiveOrReloading, type ActiveState } from '../unit/active-state.js';
import type { JobMode } from '../unit/model.js';
import { jobDoneMessage, jobFailedMessage, unitLine, type Job, type JobResult, type LogLine, type MessageSubject } from './job.js';
import { installDecision } from './install-decision.js';
import type { InstalledJobs } from './installed-jobs.js';
import { AFTER, afterSign, BEFORE, beforeSign, isOrdered, ORDERING_KIND_NUMBERS } from './ordering.js';
import type { Plan } from './transaction.js';
import { describeInfo, type DependencyKind, type UnitGraph } from './unit-graph.js';

export interface FinishedJob {
  readonly job: Job;
  readonly result: JobResult;
}

/** A start request the manager must make: OnFailure=/OnSuccess= units, with the unit's OnFailureJobMode=. */
export interface TriggeredStart {
  readonly unit: string;
  readonly mode: JobMode;
  readonly triggeredBy: string;
}

export interface ApplyResult {
  /** The unit's job after installation, per planned job (a merged job keeps its installed id). */
  readonly jobs: readonly Job[];
  /** Jobs that ended because the plan replaced or flushed them. */
  readonly finished: readonly FinishedJob[];
}

export interface FinishOutcome {
  /** The job itself first, then every job failed because of it, in the order systemd finishes them. */
  readonly finished: readonly FinishedJob[];
  readonly log: readonly LogLine[];
  readonly triggered: readonly TriggeredStart[];
  /** A restart job that completed its stop half and now waits as a start job. */
  readonly restarted: Job | undefined;
}

const START_FAILURE_PROPAGATION: readonly DependencyKind[] = ['RequiredBy', 'RequisiteOf', 'BoundBy'];
const STOP_FAILURE_PROPAGATION: readonly DependencyKind[] = ['ConflictedBy'];
const INACTIVE_START_AS_FAILURE: readonly DependencyKind[] = ['RequisiteOf'];

/** transaction_apply: cancel what the plan displaces, install or merge each job, and queue them all. */
export function applyPlan(graph: UnitGraph, installed: InstalledJobs, plan: Plan): ApplyResult {
  installed.nextId = Math.max(installed.nextId, plan.nextJobId);
  const finished: FinishedJob[] = [];
  const cancel = (job: Job) => {
    finished.push({ job, result: 'canceled' });
    invalidate(graph, installed, job);
  };
  for (const id of plan.cancel) {
    const job = installed.get(id);
    if (job) cancel(job);
  }
  const jobs: Job[] = [];
  for (let i = 0; i < plan.jobs.length; i++) {
    const p = plan.jobs[i]!;
    const fresh: Job = { id: p.id, unit: p.unit, type: p.type, state: 'waiting', irreversible: p.irreversible, ignoreOrder: p.ignoreOrder };
    if (p.type === 'nop') {
      // A nop job is done as soon as it runs; it never occupies the unit's job slot.
      finished.push({ job: fresh, result: 'done' });
      jobs.push(fresh);
      continue;
    }
    let job = installed.forUnit(p.unit);
    if (job) {
      const d = installDecision(job, p, graph.activeState(p.unit));
      if (d.outcome === 'canceled') {
        cancel(job);
        job = undefined;
      } else {
        job.type = d.resultType;
        job.irreversible ||= p.irreversible;
        job.ignoreOrder ||= p.ignoreOrder;
        if (d.outcome === 'rerun') job.state = 'waiting';
      }
    }
    if (!job) installed.add((job = fresh));
    installed.enqueue(job);
    jobs.push(job);
  }
  return { jobs, finished };
}

/** job_is_runnable: every job this one is ordered after (per jobCompare) has finished. */
export const isRunnable = (graph: UnitGraph, installed: InstalledJobs, job: Job): boolean =>
  runnable(graph, installed.byNumberIn(graph), job, graph.numberOf(job.unit));

/**
 * isRunnable for the job of unit number `unit`, with the jobs by unit number at hand. jobCompare(job, o) > 0 with
 * job's side decided once: its After= edges hold it back only when it is not stop-like (then any ordered job
 * there does), its Before= edges only by an ordered stop-like job. After= first: that is where a waiting start
 * job usually finds what holds it back.
 */
function runnable(graph: UnitGraph, jobs: readonly (Job | undefined)[], job: Job, unit: number): boolean {
  if (!isOrdered(job)) return true;
  const targets = graph.edgeTargets;
  if (afterSign(job) > 0)
    for (let e = graph.edgeStart(unit, AFTER), end = graph.edgeEnd(unit, AFTER); e < end; e++) {
      const o = jobs[targets[e]!];
      if (o && isOrdered(o)) return false;
    }
  for (let e = graph.edgeStart(unit, BEFORE), end = graph.edgeEnd(unit, BEFORE); e < end; e++) {
    const o = jobs[targets[e]!];
    if (o && isOrdered(o) && beforeSign(o) > 0) return false;
  }
  return true;
}

const byName = (a: Job, b: Job): number => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);

/**
 * manager_dispatch_run_queue: the queued jobs that may run now, in run-queue priority order (compare_job_priority:
 * targets before services, the higher unit type first, then by unit name), each marked running. Jobs that must
 * still wait leave the queue; finishing what they wait for requeues them. Marking a job running changes no other
 * job's runnability, so only the runnable ones need sorting.
 */
export function dispatch(graph: UnitGraph, installed: InstalledJobs): Job[] {
  const queued = installed.takeQueued(graph);
  const jobs = installed.byNumberIn(graph);
  const targets: Job[] = [];
  const others: Job[] = [];
  // The queue holds installed jobs only (takeQueued sees to it), so no lookup by id is needed.
  for (let i = 0; i < queued.jobs.length; i++) {
    const job = queued.jobs[i]!;
    const unit = queued.units[i]!;
    if (job.state !== 'waiting' || !runnable(graph, jobs, job, unit)) continue;
    job.state = 'running';
    (graph.infoOf(unit)?.type === 'target' ? targets : others).push(job);
  }
  others.sort(byName);
  return targets.length === 0 ? others : targets.sort(byName).concat(others);
}

/** How a running verify-active job ends (job_run_and_invalidate): done, still waiting, or skipped. */
export function verifyActiveResult(state: ActiveState): 'done' | 'wait' | 'skipped' {
  if (isActiveOrReloading(state)) return 'done';
  if (state === 'activating') return 'wait';
  return 'skipped';
}

export interface FinishOptions {
  /** The job did nothing to the unit (it was already in the wanted state): no message. */
  readonly already?: boolean;
  /** A Condition*= failed: the start job is 'done' but prints no "Started" line. */
  readonly conditionFailed?: boolean;
  /** ExecCondition= skipped the unit: "Condition check resulted in X being skipped." */
  readonly conditionSkippedByUnit?: boolean;
}

const NO_OPTIONS: FinishOptions = {};

/** job_finish_and_invalidate, recursively failing the jobs that depended on this one. */
export function finishJob(graph: UnitGraph, installed: InstalledJobs, jobId: number, result: JobResult, opts: FinishOptions = NO_OPTIONS): FinishOutcome {
  const out: Out = { finished: NOTHING, log: NOTHING, triggered: NOTHING, restarted: undefined };
  const job = installed.get(jobId);
  if (!job) throw new Error(`no installed job ${jobId}`);
  finishOne(graph, installed, job, result, true, opts, out);
  return out;
}

type Out = { finished: FinishedJob[]; log: LogLine[]; triggered: TriggeredStart[]; restarted: Job | undefined };

/**
 * What a finish's lists start as, shared: most stay empty (triggered; log when nothing is printed) and the rest
 * end with one entry. Frozen, so a push() that should have been an append() fails loudly.
 */
const NOTHING = Object.freeze([]) as never[];

/** Appends to one of a finish's lists: the first entry gets an array made for it (a ninth the size of what push() gives an empty one). */
function append<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  list.push(item);
  return list;
}

function finishOne(graph: UnitGraph, installed: InstalledJobs, job: Job, result: JobResult, recursive: boolean, opts: FinishOptions, out: Out): void {
  const { unit, type } = job;
  if (!opts.already) {
    const line = jobDoneMessage(messageSubject(graph, unit), type, result, opts);
    if (line) out.log = append(out.log, line);
  }
  if (result === 'done' && type === 'restart') {
    // "Patch restart jobs so that they become normal start jobs."
    job.type = 'start';
    job.state = 'waiting';
    installed.enqueue(job);
    out.restarted = job;
    enqueueOrderedNeighbours(graph, installed, unit);
    return;
  }
  out.finished = append(out.finished, { job, result });
  installed.remove(job);
  if (result !== 'done' && recursive) {
    if (type === 'start' || type === 'verify-active') failDependencies(graph, installed, unit, START_FAILURE_PROPAGATION, out);
    else if (type === 'stop') failDependencies(graph, installed, unit, STOP_FAILURE_PROPAGATION, out);
  }
  // A start that succeeded without the unit being up (a oneshot, an unmet condition) still fails Requisite= dependants.
  if (result === 'done' && recursive && (type === 'start' || type === 'reload') && !isActiveOrReloading(graph.activeState(unit)))
    failDependencies(graph, installed, unit, INACTIVE_START_AS_FAILURE, out);
  if (result === 'timeout' || result === 'dependency') {
    out.log = append(out.log, jobFailedMessage(unit, type, result));
    const triggered = triggeredStarts(graph, unit, 'OnFailure', out.log);
    if (triggered.length > 0) out.triggered = out.triggered.length === 0 ? triggered : out.triggered.concat(triggered);
  }
  enqueueOrderedNeighbours(graph, installed, unit);
}

function failDependencies(graph: UnitGraph, installed: InstalledJobs, unit: string, kinds: readonly DependencyKind[], out: Out): void {
  for (let k = 0; k < kinds.length; k++) {
    const others = graph.deps(unit, kinds[k]!);
    for (let i = 0; i < others.length; i++) {
      const j = installed.forUnit(others[i]!);
      if (j && (j.type === 'start' || j.type === 'verify-active')) finishOne(graph, installed, j, 'dependency', true, NO_OPTIONS, out);
    }
  }
}

/** Cancel without recursion (job_finish_and_invalidate(j, JOB_CANCELED, false, false)): no messages for canceled jobs. */
function invalidate(graph: UnitGraph, installed: InstalledJobs, job: Job): void {
  installed.remove(job);
  enqueueOrderedNeighbours(graph, installed, job.unit);
}

/** "Try to start the next jobs that can be started": jobs of units ordered against this one. */
function enqueueOrderedNeighbours(graph: UnitGraph, installed: InstalledJobs, unit: string): void {
  const n = graph.numberOf(unit);
  const jobs = installed.byNumberIn(graph);
  const targets = graph.edgeTargets;
  for (let k = 0; k < ORDERING_KIND_NUMBERS.length; k++) {
    const kind = ORDERING_KIND_NUMBERS[k]!;
    for (let e = graph.edgeStart(n, kind), end = graph.edgeEnd(n, kind); e < end; e++) {
      const j = jobs[targets[e]!];
      if (j) installed.enqueueNumbered(j, targets[e]!);
    }
  }
}

/** unit_start_on_failure / OnSuccess=: the start requests, and "Triggering OnFailure= dependencies." */
export function triggeredStarts(graph: UnitGraph, unit: string, kind: 'OnFailure' | 'OnSuccess', log: LogLine[]): TriggeredStart[] {
  const targets = graph.deps(unit, kind);
  if (targets.length === 0) return [];
  log.push(unitLine('info', unit, `Triggering ${kind}= dependencies.`));
  const mode = graph.info(unit)?.onFailureJobMode ?? 'replace';
  return targets.map((t) => ({ unit: t, mode, triggeredBy: unit }));
}

export function messageSubject(graph: UnitGraph, unit: string): MessageSubject {
  const info = graph.info(unit);
  return { unit, type: info?.type ?? 'service', oneshot: info?.oneshot ?? false, desc: describeInfo(unit, info) };
}
