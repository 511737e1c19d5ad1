// A transaction under construction: jobs per unit linked by who pulled whom in (systemd 252 transaction.c transaction_add_job_and_dependencies, transaction_delete_job).
import { isActiveOrActivating, isInactiveOrFailed } from '../unit/active-state.js';
import { UNIT_TYPES } from '../unit/model.js';
import { parseUnitName } from '../unit/unit-name.js';
import { unitLine, type LogLine } from './job.js';
import { collapse, type TransactionJobType } from './job-type.js';
import type { InstalledJobs } from './installed-jobs.js';
import type { DependencyKind, UnitGraph } from './unit-graph.js';

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
  type: TransactionJobType;
  /** matters_to_anchor: reachable from the anchor over links that matter (not Wants=). */
  matters: boolean;
  ignoreOrder: boolean;
  irreversible: boolean;
  /** Links where this job is the subject (it pulled the object in); unlinked ones stay, marked not live. */
  readonly pulls: Link[];
  /** Links where this job is the object (something pulled it in); unlinked ones stay, marked not live. */
  readonly pulledBy: Link[];
  /** How many of pulledBy are live. */
  parents: number;
  deleted: boolean;
}

export interface Link {
  readonly subject: TrJob | undefined;
  readonly object: TrJob;
  readonly matters: boolean;
  /** Pulled in by Conflicts= (job_is_conflicted_by). */
  readonly conflicts: boolean;
  /**
   * False once either end is deleted (transaction_unlink_job). Arrays with a flag instead of sets keep a
   * transaction of thousands of jobs small, and unlinking from a job that pulls in thousands O(1).
   */
  live: boolean;
}

interface AddRequest {
  readonly type: TransactionJobType;
  readonly unit: string;
  readonly by: TrJob | undefined;
  readonly matters: boolean;
  readonly conflicts: boolean;
  /** 'ignore': a failure is logged and skipped (Wants=, ConflictedBy=, ...); 'fatal' fails the caller. */
  readonly onError: 'fatal' | 'ignore';
  readonly ignoreRequirements: boolean;
  readonly ignoreOrder: boolean;
}

type Added = { ok: true; job: TrJob; isNew: boolean } | { ok: false; error: TransactionError };

// Dependency kinds grouped as systemd's atoms (unit-dependency-atom.c).
const PULL_IN_START: readonly DependencyKind[] = ['Requires', 'BindsTo'];
const PULL_IN_START_IGNORED: readonly DependencyKind[] = ['Wants', 'Upholds'];
const PULL_IN_VERIFY: readonly DependencyKind[] = ['Requisite'];
const PULL_IN_STOP: readonly DependencyKind[] = ['Conflicts'];
const PULL_IN_STOP_IGNORED: readonly DependencyKind[] = ['ConflictedBy'];
const PROPAGATE_RESTART: readonly DependencyKind[] = ['RequiredBy', 'RequisiteOf', 'BoundBy', 'ConsistsOf'];
const PROPAGATE_STOP: readonly DependencyKind[] = [...PROPAGATE_RESTART, 'PropagatesStopTo'];

/**
 * Errors of these kinds are not worth a warning when a dependency is only wanted (-ENOENT, -ERFKILL, -EBADR in
 * transaction.c); nor is a unit unitvisor refused for a feature it lacks: that was said once, at load.
 */
const QUIET_ERRORS: ReadonlySet<TransactionErrorCode> = new Set(['not-found', 'masked', 'not-applicable', 'refused-here']);

/** Whether unitvisor runs jobs for the unit's type; names that are not valid unit names fail later, as not found. */
const runsType = (unit: string): boolean =>
  // A valid name's suffix is what follows its last dot: when that is a type run here, the full parse can be skipped.
  (UNIT_TYPES as readonly string[]).includes(unit.slice(unit.lastIndexOf('.') + 1)) || parseUnitName(unit) === undefined;

export class Transaction {
  /** Jobs per unit, newest first (LIST_PREPEND); units in the order they joined. */
  readonly jobs = new Map<string, TrJob[]>();
  anchor: TrJob | undefined;
  readonly log: LogLine[] = [];

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
    const root: AddRequest = { type, unit, by, matters: true, conflicts: false, onError: 'fatal', ...opts };
    const first = this.addOne(root);
    if (!first.ok) return first.error;
    if (!by) this.anchor = first.job;
    if (!first.isNew || opts.ignoreRequirements || type === 'nop') return undefined;
    const stack = [{ request: root, children: this.children(first.job, opts.ignoreOrder), next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = top.children[top.next++];
      if (!child) {
        stack.pop();
        continue;
      }
      const r = this.addOne(child);
      if (r.ok) {
        if (r.isNew && child.type !== 'nop') stack.push({ request: child, children: this.children(r.job, child.ignoreOrder), next: 0 });
        continue;
      }
      // Unwind like the recursive calls: a fatal failure fails the caller, up to someone who ignores it.
      let failed: AddRequest = child;
      while (failed.onError === 'fatal' && r.error.code !== 'not-applicable') {
        const frame = stack.pop()!;
        if (stack.length === 0) return r.error;
        failed = frame.request;
      }
      if (failed.onError === 'ignore') {
        const level = QUIET_ERRORS.has(r.error.code) ? 'debug' : 'warning';
        this.log.push(unitLine(level, failed.unit, `Cannot add dependency job, ignoring: ${r.error.message}`));
      }
    }
    return undefined;
  }

  /** The requirement dependencies one new job pulls in, in systemd's order. */
  private children(job: TrJob, ignoreOrder: boolean): AddRequest[] {
    const out: AddRequest[] = [];
    // Like UNIT_FOREACH_DEPENDENCY, a unit named under two kinds of one group is visited twice; the second visit only adds a link.
    const add = (kinds: readonly DependencyKind[], type: TransactionJobType, matters: boolean, conflicts: boolean, onError: 'fatal' | 'ignore', skip?: Set<string>) => {
      for (let k = 0; k < kinds.length; k++) {
        const units = this.graph.deps(job.unit, kinds[k]!);
        for (let i = 0; i < units.length; i++) {
          const unit = units[i]!;
          if (!skip?.has(unit)) out.push({ type, unit, by: job, matters, conflicts, onError, ignoreRequirements: false, ignoreOrder });
        }
      }
    };
    if (job.type === 'start' || job.type === 'restart') {
      add(PULL_IN_START, 'start', true, false, 'fatal');
      add(PULL_IN_START_IGNORED, 'start', false, false, 'ignore');
      add(PULL_IN_VERIFY, 'verify-active', true, false, 'fatal');
      add(PULL_IN_STOP, 'stop', true, true, 'fatal');
      add(PULL_IN_STOP_IGNORED, 'stop', false, false, 'ignore');
    }
    if (job.type === 'stop' || job.type === 'restart') {
      // A restart propagates as try-restart, "in order not to start dependencies that are not around".
      const restarted = new Set<string>();
      if (job.type === 'restart')
        for (const kind of PROPAGATE_RESTART)
          for (const unit of this.graph.deps(job.unit, kind)) {
            if (restarted.has(unit)) continue;
            restarted.add(unit);
            const t = collapse('try-restart', this.graph.activeState(unit));
            if (t !== 'nop') out.push({ type: t, unit, by: job, matters: true, conflicts: false, onError: 'fatal', ignoreRequirements: false, ignoreOrder });
          }
      add(PROPAGATE_STOP, 'stop', true, false, 'fatal', restarted);
    }
    if (job.type === 'reload')
      for (const unit of this.graph.deps(job.unit, 'PropagatesReloadTo')) {
        const t = collapse('try-reload', this.graph.activeState(unit));
        if (t !== 'nop') out.push({ type: t, unit, by: job, matters: false, conflicts: false, onError: 'ignore', ignoreRequirements: false, ignoreOrder });
      }
    return out;
  }

  /** Validation, then transaction_add_one_job, then the link from `by`. */
  private addOne(req: AddRequest): Added {
    const list = this.jobs.get(req.unit);
    let job: TrJob | undefined;
    if (list) for (let i = 0; i < list.length && !job; i++) if (list[i]!.type === req.type) job = list[i];
    const isNew = job === undefined;
    if (!job) {
      // Load state and applicability are fixed for the transaction: a job that exists already passed them.
      const error = this.validate(req.type, req.unit);
      if (error) return { ok: false, error };
      // An installed job of the same type keeps its id (systemd reuses the installed Job object).
      const inst = this.installed.forUnit(req.unit);
      const id = inst && inst.type === req.type ? inst.id : this.nextId++;
      job = { id, unit: req.unit, type: req.type, matters: false, ignoreOrder: false, irreversible: this.irreversible, pulls: [], pulledBy: [], parents: 0, deleted: false };
      if (list) list.unshift(job);
      else this.jobs.set(req.unit, [job]);
    }
    job.ignoreOrder ||= req.ignoreOrder;
    const link: Link = { subject: req.by, object: job, matters: req.matters, conflicts: req.conflicts, live: true };
    req.by?.pulls.push(link);
    job.pulledBy.push(link);
    job.parents++;
    return { ok: true, job, isNew };
  }

  /** bus_unit_validate_load_state and unit_job_is_applicable. */
  private validate(type: TransactionJobType, unit: string): TransactionError | undefined {
    const fail = (code: TransactionErrorCode, message: string): TransactionError => ({ code, message, log: [] });
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

  /** The job a unit has in this transaction (the list head), as hashmap_get(tr->jobs, u). */
  head(unit: string): TrJob | undefined {
    return this.jobs.get(unit)?.[0];
  }

  allJobs(): TrJob[] {
    const all: TrJob[] = [];
    this.jobs.forEach((list) => {
      for (let i = 0; i < list.length; i++) all.push(list[i]!);
    });
    return all;
  }

  /** transaction_delete_job: unlink, and with deleteDependencies also delete the jobs that needed this one. */
  deleteJob(job: TrJob, deleteDependencies: boolean): void {
    const work = [job];
    while (work.length > 0) {
      const j = work.pop()!;
      if (j.deleted) continue;
      j.deleted = true;
      for (const l of j.pulls) {
        if (!l.live) continue;
        l.live = false;
        l.object.parents--;
      }
      j.pulls.length = 0;
      for (const l of j.pulledBy) {
        if (!l.live) continue;
        l.live = false;
        if (l.matters && l.subject && deleteDependencies && !l.subject.deleted) {
          this.log.push(unitLine('debug', l.subject.unit, `Deleting job ${l.subject.unit}/${l.subject.type} as dependency of job ${j.unit}/${j.type}`));
          work.push(l.subject);
        }
      }
      j.pulledBy.length = 0;
      j.parents = 0;
      const list = this.jobs.get(j.unit);
      if (list) {
        const rest = list.filter((k) => k !== j);
        if (rest.length > 0) this.jobs.set(j.unit, rest);
        else this.jobs.delete(j.unit);
      }
      if (this.anchor === j) this.anchor = undefined;
    }
  }

  /** transaction_delete_unit */
  deleteUnit(unit: string): void {
    for (const j of [...(this.jobs.get(unit) ?? [])]) this.deleteJob(j, true);
  }

  /** Adds stop jobs for every other unit that is up or has a job (transaction_add_isolate_jobs). */
  addIsolateJobs(): void {
    for (const unit of this.graph.units()) {
      if (isInactiveOrFailed(this.graph.activeState(unit)) && !this.installed.forUnit(unit)) continue;
      if (this.graph.info(unit)?.ignoreOnIsolate) continue;
      if (this.jobs.has(unit)) continue;
      const e = this.addJobAndDependencies('stop', unit, this.anchor, { ignoreRequirements: false, ignoreOrder: false });
      if (e) this.log.push(unitLine('warning', unit, `Cannot add isolate job, ignoring: ${e.message}`));
    }
  }
}

export const stopsRunningUnit = (graph: UnitGraph, j: TrJob): boolean => j.type === 'stop' && isActiveOrActivating(graph.activeState(j.unit));
