// A transaction under construction: jobs per unit linked by who pulled whom in (systemd 252 transaction.c transaction_add_job_and_dependencies, transaction_delete_job).
import { isActiveOrActivating, isInactiveOrFailed } from '../unit/active-state.js';
import { UNIT_TYPES } from '../unit/model.js';
import { parseUnitName } from '../unit/unit-name.js';
import { unitLine, type LogLine } from './job.js';
import { collapse, type TransactionJobType } from './job-type.js';
import type { InstalledJobs } from './installed-jobs.js';
import type { CycleNode } from './ordering.js';
import { UnitJobs } from './transaction-jobs.js';
import { CONFLICTS, JobLinks, LIVE, MATTERS, NONE } from './transaction-links.js';
import { kindNumber, type DependencyKind, type KindNumber, type UnitGraph } from './unit-graph.js';

export type TransactionErrorCode =
  | 'not-found'
  | 'masked'
  | 'bad-setting'
  | 'refused-here'
  | 'load-error'
  | 'not-applicable'
  | 'invalid-mode'
  | 'conflicting-jobs'
  | 'cyclic'
  | 'destructive';

export interface TransactionError {
  readonly code: TransactionErrorCode;
  /** systemctl's "Failed to start X: <message>" tail, in systemd's words. */
  readonly message: string;
  readonly log: readonly LogLine[];
}

export interface TrJob {
  readonly id: number;
  readonly unit: string;
  /** The unit's number in the graph (numberOf), -1 when nothing names it there. */
  readonly number: number;
  type: TransactionJobType;
  /** matters_to_anchor: reachable from the anchor over links that matter (not Wants=). */
  matters: boolean;
  ignoreOrder: boolean;
  irreversible: boolean;
  /** Its index in the transaction's links (Transaction.links, Transaction.job). */
  readonly index: number;
  /** How many of the links where it is the object are live. */
  parents: number;
  deleted: boolean;
  /** A transaction job is its own node in the ordering-cycle walk. */
  readonly inTransaction: true;
  mark: CycleNode | undefined;
}

/** One group of the requirement dependencies a job pulls in (systemd's dependency atoms, unit-dependency-atom.c). */
interface Pull {
  readonly kinds: readonly DependencyKind[];
  /** try-restart and try-reload collapse against the unit's state; where they collapse to nop, nothing is pulled in. */
  readonly type: TransactionJobType | 'try-restart' | 'try-reload';
  readonly matters: boolean;
  /** Pulled in by Conflicts= (job_is_conflicted_by). */
  readonly conflicts: boolean;
  /** 'ignore': a failure is logged and skipped (Wants=, ConflictedBy=, ...); 'fatal' fails the job that pulled. */
  readonly onError: 'fatal' | 'ignore';
  /** kindNumber() of each of kinds. */
  readonly numbers: readonly KindNumber[];
}

const pull = (p: Omit<Pull, 'numbers'>): Pull => ({ ...p, numbers: p.kinds.map(kindNumber) });

const START_PULLS: readonly Pull[] = [
  pull({ kinds: ['Requires', 'BindsTo'], type: 'start', matters: true, conflicts: false, onError: 'fatal' }),
  pull({ kinds: ['Wants', 'Upholds'], type: 'start', matters: false, conflicts: false, onError: 'ignore' }),
  pull({ kinds: ['Requisite'], type: 'verify-active', matters: true, conflicts: false, onError: 'fatal' }),
  pull({ kinds: ['Conflicts'], type: 'stop', matters: true, conflicts: true, onError: 'fatal' }),
  pull({ kinds: ['ConflictedBy'], type: 'stop', matters: false, conflicts: false, onError: 'ignore' }),
];
const PROPAGATE_RESTART: readonly DependencyKind[] = ['RequiredBy', 'RequisiteOf', 'BoundBy', 'ConsistsOf'];
const STOP_PULL: Pull = pull({ kinds: [...PROPAGATE_RESTART, 'PropagatesStopTo'], type: 'stop', matters: true, conflicts: false, onError: 'fatal' });
/**
 * What each job type pulls in, in systemd's order. A restart propagates as try-restart, "in order not to start
 * dependencies that are not around", and its stop propagation passes over the units it restarts.
 */
const PULLS: Readonly<Record<TransactionJobType, readonly Pull[]>> = {
  start: START_PULLS,
  restart: [...START_PULLS, pull({ kinds: PROPAGATE_RESTART, type: 'try-restart', matters: true, conflicts: false, onError: 'fatal' }), STOP_PULL],
  stop: [STOP_PULL],
  reload: [pull({ kinds: ['PropagatesReloadTo'], type: 'try-reload', matters: false, conflicts: false, onError: 'ignore' })],
  'verify-active': [],
  nop: [],
};

/**
 * A job whose dependencies are being added: a cursor over its pulls (group p, kind k, edge e), so no list of them is built.
 * Frames are reused as the walk goes down and up again: a transaction makes as many as its deepest chain of pulls.
 */
interface Frame {
  job: TrJob;
  /** How the job itself was pulled in: a fatal failure below it fails it too. */
  onError: 'fatal' | 'ignore';
  ignoreOrder: boolean;
  pulls: readonly Pull[];
  /** The kinds the job's unit has edges of (graph.kindsOf). */
  kinds: number;
  p: number;
  k: number;
  /** The next edge of kind k and where they end; -1 before kind k's edges are looked up. */
  e: number;
  end: number;
  /** Units a restart propagated try-restart to (nop or not). */
  restarted: Set<string> | undefined;
}

/**
 * Errors of these kinds are not worth a warning when a dependency is only wanted (-ENOENT, -ERFKILL, -EBADR in
 * transaction.c); nor is a unit unitvisor refused for a feature it lacks: that was said once, at load.
 */
const QUIET_ERRORS: ReadonlySet<TransactionErrorCode> = new Set(['not-found', 'masked', 'not-applicable', 'refused-here']);

/** A validation failure (at module level: a closure in validate() would be made for every job validated). */
const fail = (code: TransactionErrorCode, message: string): TransactionError => ({ code, message, log: [] });

/** ".service" and the others: a name ending in one has that type (types have no dot), found without cutting the suffix out. */
const TYPE_SUFFIXES = UNIT_TYPES.map((t) => `.${t}`);

/** Whether unitvisor runs jobs for the unit's type; names that are not valid unit names fail later, as not found. */
function runsType(unit: string): boolean {
  // A valid name's suffix is what follows its last dot: when that is a type run here, the full parse can be skipped.
  for (let i = 0; i < TYPE_SUFFIXES.length; i++) if (unit.endsWith(TYPE_SUFFIXES[i]!)) return true;
  return parseUnitName(unit) === undefined;
}

/**
 * The walks' frames, reused from one job to the next and from one transaction to the next (transactions are built one
 * at a time, synchronously); those past a walk's depth are spare. Frames of its own made each transaction take a path
 * that code optimized during the one before had no type feedback for, and deoptimize it at its first step.
 */
const FRAMES: Frame[] = [];

export class Transaction {
  /** Jobs per unit, newest first (LIST_PREPEND); units in the order they joined. */
  readonly jobs = new UnitJobs();
  anchor: TrJob | undefined;
  readonly log: LogLine[] = [];
  /** Who pulled whom in, by job index. */
  readonly links = new JobLinks();
  /** How many jobs have been deleted, and how many had been when garbage was last collected. */
  deletions = 0;
  collectedAt = 0;
  private readonly byIndex: TrJob[] = [];

  constructor(
    readonly graph: UnitGraph,
    readonly installed: InstalledJobs,
    public nextId: number,
    readonly irreversible: boolean,
  ) {}

  /** transaction_add_job_and_dependencies, with an explicit stack instead of recursion. */
  addJobAndDependencies(
    type: TransactionJobType,
    unit: string,
    by: TrJob | undefined,
    opts: { ignoreRequirements: boolean; ignoreOrder: boolean },
  ): TransactionError | undefined {
    const first = this.addOne(type, unit, this.graph.numberOf(unit), by, true, false, opts.ignoreOrder);
    if (!isJob(first)) return first;
    if (!by) this.anchor = first;
    if (!this.added || opts.ignoreRequirements || type === 'nop') return undefined;
    // One pull per call of step(): this loop runs once per transaction, and a long one, so the optimizing compiler
    // compiled it twice, at entry (for a next call that never came) and on-stack; step() is compiled once, being called often.
    let depth = this.push(0, first, 'fatal', opts.ignoreOrder);
    while (depth > 0) depth = this.step(depth);
    const failed = this.failed;
    this.failed = undefined;
    return failed;
  }

  /** Set by step() when a fatal failure unwinds the whole walk: the error addJobAndDependencies returns. */
  private failed: TransactionError | undefined;

  /** Adds the next job the top frame pulls in (or pops the frame when it has pulled in all); returns the new depth. */
  private step(depth: number): number {
    const stack = FRAMES;
    const top = stack[depth - 1]!;
    const number = this.nextPulled(top);
    if (number < 0) return depth - 1;
    const child = this.graph.nameOf(number);
    const pull = top.pulls[top.p]!;
    const childType = pull.type === 'try-restart' || pull.type === 'try-reload' ? collapse(pull.type, this.graph.activeState(child)) : pull.type;
    const r = this.addOne(childType, child, number, top.job, pull.matters, pull.conflicts, top.ignoreOrder);
    if (isJob(r)) return this.added && childType !== 'nop' ? this.push(depth, r, pull.onError, top.ignoreOrder) : depth;
    // Unwind like the recursive calls: a fatal failure fails the caller, up to someone who ignores it.
    let failedOnError = pull.onError;
    let failedUnit = child;
    while (failedOnError === 'fatal' && r.code !== 'not-applicable') {
      const popped = stack[--depth]!;
      if (depth === 0) {
        this.failed = r;
        return 0;
      }
      failedOnError = popped.onError;
      failedUnit = popped.job.unit;
    }
    if (failedOnError === 'ignore') {
      const level = QUIET_ERRORS.has(r.code) ? 'debug' : 'warning';
      this.log.push(unitLine(level, failedUnit, `Cannot add dependency job, ignoring: ${r.message}`));
    }
    return depth;
  }

  /** Sets up the frame at `depth` for the job's pulls; returns the new depth. */
  private push(depth: number, job: TrJob, onError: 'fatal' | 'ignore', ignoreOrder: boolean): number {
    const pulls = PULLS[job.type];
    const kinds = this.graph.kindsOf(job.number);
    // A read past the end deoptimized step()'s code whenever the walk went deeper than any walk before it.
    const f = depth < FRAMES.length ? FRAMES[depth] : undefined;
    if (!f) FRAMES.push({ job, onError, ignoreOrder, pulls, kinds, p: 0, k: 0, e: -1, end: 0, restarted: undefined });
    else {
      f.job = job;
      f.onError = onError;
      f.ignoreOrder = ignoreOrder;
      f.pulls = pulls;
      f.kinds = kinds;
      f.p = f.k = 0;
      f.e = -1;
      f.end = 0;
      f.restarted = undefined;
    }
    return depth + 1;
  }

  /**
   * The number of the next unit the frame's job pulls in (under frame.pulls[frame.p]), or -1 when it has pulled in all.
   * Like UNIT_FOREACH_DEPENDENCY, a unit named under two kinds of one group is visited twice; the second visit only adds a link.
   */
  private nextPulled(f: Frame): number {
    for (; f.p < f.pulls.length; f.p++, f.k = 0) {
      const pull = f.pulls[f.p]!;
      for (; f.k < pull.kinds.length; f.k++, f.e = -1) {
        const kind = pull.numbers[f.k]!;
        if ((f.kinds & (1 << kind)) === 0) continue;
        if (f.e < 0) {
          f.e = this.graph.edgeStart(f.job.number, kind);
          f.end = this.graph.edgeEnd(f.job.number, kind);
        }
        while (f.e < f.end) {
          const number = this.graph.edgeTargets[f.e++]!;
          const unit = this.graph.nameOf(number);
          if (pull.type === 'try-restart') {
            if (f.restarted?.has(unit)) continue;
            (f.restarted ??= new Set()).add(unit);
          } else if (pull === STOP_PULL && f.restarted?.has(unit)) continue;
          if ((pull.type === 'try-restart' || pull.type === 'try-reload') && collapse(pull.type, this.graph.activeState(unit)) === 'nop') continue;
          return number;
        }
      }
    }
    return -1;
  }

  /** Whether the last addOne created its job (rather than linking to one the unit had). */
  private added = false;

  /** Validation, then transaction_add_one_job, then the link from `by`: the job, or why there can be none. */
  private addOne(type: TransactionJobType, unit: string, number: number, by: TrJob | undefined, matters: boolean, conflicts: boolean, ignoreOrder: boolean): TrJob | TransactionError {
    const list = this.jobs.of(unit, number);
    let job: TrJob | undefined;
    if (list) for (let i = 0; i < list.length && !job; i++) if (list[i]!.type === type) job = list[i];
    const isNew = job === undefined;
    if (!job) {
      // Load state and applicability are fixed for the transaction: a job that exists already passed them.
      const error = this.validate(type, unit);
      if (error) return error;
      // An installed job of the same type keeps its id (systemd reuses the installed Job object).
      const inst = this.installed.forUnit(unit);
      const id = inst && inst.type === type ? inst.id : this.nextId++;
      const index = this.links.addJob();
      job = { id, unit, number, type, matters: false, ignoreOrder: false, irreversible: this.irreversible, index, parents: 0, deleted: false, inTransaction: true, mark: undefined };
      this.byIndex.push(job);
      this.jobs.add(job);
    }
    job.ignoreOrder ||= ignoreOrder;
    this.links.add(by ? by.index : NONE, job.index, (matters ? MATTERS : 0) | (conflicts ? CONFLICTS : 0));
    job.parents++;
    this.added = isNew;
    return job;
  }

  /** bus_unit_validate_load_state and unit_job_is_applicable. */
  private validate(type: TransactionJobType, unit: string): TransactionError | undefined {
    if (type !== 'stop') {
      // Types unitvisor does not run (said once at load) take no jobs: systemd's -EBADR, which even Requires= passes over.
      if (!runsType(unit)) return fail('not-applicable', `Job type ${type} is not applicable for unit ${unit}.`);
      switch (this.graph.loadState(unit)) {
        case 'loaded':
          break;
        case 'not-found':
          return fail('not-found', `Unit ${unit} not found.`);
        case 'bad-setting':
          return fail(this.graph.info(unit)?.refusedHere === true ? 'refused-here' : 'bad-setting', `Unit ${unit} has a bad unit file setting.`);
        case 'error':
          return fail('load-error', `Unit ${unit} failed to load properly, please adjust/correct and reload service manager.`);
        case 'masked':
          return fail('masked', `Unit ${unit} is masked.`);
        default:
          return fail('not-found', `Unexpected load state of unit ${unit}`);
      }
    }
    if (type === 'reload' && !this.graph.info(unit)?.canReload) return fail('not-applicable', `Job type reload is not applicable for unit ${unit}.`);
    return undefined;
  }

  /** Whether the unit has a job in this transaction. */
  hasJobs(unit: string): boolean {
    return this.jobs.of(unit, this.graph.numberOf(unit)) !== undefined;
  }

  allJobs(): TrJob[] {
    const all: TrJob[] = [];
    this.jobs.forEach((list) => {
      for (let i = 0; i < list.length; i++) all.push(list[i]!);
    });
    return all;
  }

  /** The job with this index in links. */
  job(index: number): TrJob {
    return this.byIndex[index]!;
  }

  /** transaction_delete_job: unlink, and with deleteDependencies also delete the jobs that needed this one. */
  deleteJob(job: TrJob, deleteDependencies: boolean): void {
    const links = this.links;
    const work = [job];
    while (work.length > 0) {
      const j = work.pop()!;
      if (j.deleted) continue;
      j.deleted = true;
      this.deletions++;
      for (let l = links.firstPull[j.index]!; l !== NONE; l = links.nextPull[l]!) {
        if ((links.flags[l]! & LIVE) === 0) continue;
        links.flags[l]! &= ~LIVE;
        this.byIndex[links.object[l]!]!.parents--;
      }
      for (let l = links.firstPulledBy[j.index]!; l !== NONE; l = links.nextPulledBy[l]!) {
        const flags = links.flags[l]!;
        if ((flags & LIVE) === 0) continue;
        links.flags[l] = flags & ~LIVE;
        const subject = links.subject[l]! === NONE ? undefined : this.byIndex[links.subject[l]!]!;
        if ((flags & MATTERS) !== 0 && subject && deleteDependencies && !subject.deleted) {
          this.log.push(unitLine('debug', subject.unit, `Deleting job ${subject.unit}/${subject.type} as dependency of job ${j.unit}/${j.type}`));
          work.push(subject);
        }
      }
      links.clear(j.index);
      j.parents = 0;
      this.jobs.remove(j);
      if (this.anchor === j) this.anchor = undefined;
    }
  }

  /** transaction_delete_unit */
  deleteUnit(unit: string): void {
    for (const j of [...(this.jobs.of(unit, this.graph.numberOf(unit)) ?? [])]) this.deleteJob(j, true);
  }

  /** Adds stop jobs for every other unit that is up or has a job (transaction_add_isolate_jobs). */
  addIsolateJobs(): void {
    for (const unit of this.graph.units()) {
      if (isInactiveOrFailed(this.graph.activeState(unit)) && !this.installed.forUnit(unit)) continue;
      if (this.graph.info(unit)?.ignoreOnIsolate) continue;
      if (this.hasJobs(unit)) continue;
      const e = this.addJobAndDependencies('stop', unit, this.anchor, { ignoreRequirements: false, ignoreOrder: false });
      if (e) this.log.push(unitLine('warning', unit, `Cannot add isolate job, ignoring: ${e.message}`));
    }
  }
}

const isJob = (r: TrJob | TransactionError): r is TrJob => 'parents' in r;

export const stopsRunningUnit = (graph: UnitGraph, j: TrJob): boolean => j.type === 'stop' && isActiveOrActivating(graph.activeState(j.unit));
