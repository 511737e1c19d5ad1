// The installed jobs (one per unit, systemd's unit->job) and the run queue of jobs to look at next (systemd 252 manager.c m->jobs, m->run_queue).
import type { Job } from './job.js';
import type { UnitGraph } from './unit-graph.js';
import { holeyArray } from '../common/holey-array.js';

/** The manager's job table. Pure data: the scheduler functions read and update it. */
export class InstalledJobs {
  private readonly byUnit = new Map<string, Job>();
  private readonly byId = new Map<number, Job>();
  /**
   * Jobs to check for runnability and, at the same places, their units' numbers in the numbered graph (-1:
   * none), so the check looks up no name. Like systemd's run queue, a job sits in it at most once: queuedAt
   * marks a queued job at its unit's number, with no table keyed by job to grow, shrink and hash. A job removed
   * while queued is dropped when the queue is taken, as one its unit no longer has.
   */
  private queued: Job[] = holeyArray();
  private queuedUnits: number[] = [];
  private queuedAt: (Job | undefined)[] = holeyArray();
  /** Job ids start at 1; 0 is left as "no job". */
  nextId = 1;
  /** The jobs by unit number in one graph (the last asked about), so a walk over edges looks up no names. */
  private numbered: UnitGraph | undefined;
  private byNumber: (Job | undefined)[] = holeyArray();

  get size(): number {
    return this.byId.size;
  }

  get(id: number): Job | undefined {
    return this.byId.get(id);
  }

  forUnit(unit: string): Job | undefined {
    return this.byUnit.get(unit);
  }

  /** The jobs by unit number of `graph` (read it, never write it), valid until a job is added or removed. */
  byNumberIn(graph: UnitGraph): readonly (Job | undefined)[] {
    if (graph !== this.numbered) {
      this.numbered = graph;
      this.byNumber = holeyArray();
      this.byUnit.forEach((job, name) => this.setNumbered(name, job));
      const queued = this.queued.filter((job) => this.byId.get(job.id) === job);
      this.queued = holeyArray();
      this.queuedUnits = [];
      this.queuedAt = holeyArray();
      for (const job of queued) this.enqueueNumbered(job, this.numberOf(job.unit));
    }
    return this.byNumber;
  }

  private numberOf(unit: string): number {
    return this.numbered?.numberOf(unit) ?? -1;
  }

  private setNumbered(unit: string, job: Job | undefined): void {
    const n = this.numberOf(unit);
    if (n >= 0) this.byNumber[n] = job;
  }

  /** Installed jobs by id, as `systemctl list-jobs` lists them. */
  list(): Job[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }

  add(job: Job): void {
    const old = this.byUnit.get(job.unit);
    if (old && old !== job) throw new Error(`unit ${job.unit} already has job ${old.id}`);
    this.byUnit.set(job.unit, job);
    this.byId.set(job.id, job);
    this.setNumbered(job.unit, job);
  }

  remove(job: Job): void {
    if (this.byId.get(job.id) !== job) return;
    this.byId.delete(job.id);
    this.byUnit.delete(job.unit);
    this.setNumbered(job.unit, undefined);
  }

  /** job_add_to_run_queue */
  enqueue(job: Job): void {
    if (this.byId.get(job.id) === job) this.enqueueNumbered(job, this.numberOf(job.unit));
  }

  /** enqueue() for a job taken from byNumberIn() (which holds installed jobs only) at `unit`. */
  enqueueNumbered(job: Job, unit: number): void {
    if (job.state !== 'waiting') return;
    if (unit >= 0) {
      if (this.queuedAt[unit] === job) return;
      this.queuedAt[unit] = job;
    } else if (this.queued.includes(job)) return; // a unit the graph does not number: rare, and the queue short
    this.queued.push(job);
    this.queuedUnits.push(unit);
  }

  /**
   * Empties the run queue, returning the jobs in it that are still installed and, at the same places, their
   * units' numbers in `graph` (-1: none).
   */
  takeQueued(graph: UnitGraph): { readonly jobs: readonly Job[]; readonly units: readonly number[] } {
    this.byNumberIn(graph);
    const jobs = this.queued;
    const units = this.queuedUnits;
    let kept = 0;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      const unit = units[i]!;
      if (unit >= 0) this.queuedAt[unit] = undefined;
      if (unit >= 0 ? this.byNumber[unit] !== job : this.byId.get(job.id) !== job) continue;
      jobs[kept] = job;
      units[kept++] = unit;
    }
    jobs.length = units.length = kept;
    this.queued = holeyArray();
    this.queuedUnits = [];
    return { jobs, units };
  }
}
