// Test fixtures for the scheduler: unit configs from a compact spec, and a run-queue driver on a FakeClock.
import { FakeClock, USEC_PER_SEC } from '../../src/common/clock.js';
import { FORWARD_DEPENDENCIES, type ExecCommand, type ForwardDependency, type UnitConfig, type UnitType } from '../../src/unit/model.js';
import { defaultInstallSection, defaultServiceSection, defaultUnitSection } from '../../src/unit/settings/defaults.js';
import type { LoadState } from '../../src/unit/active-state.js';
import { jobStartMessage, type JobResult } from '../../src/job/job.js';
import { InstalledJobs } from '../../src/job/installed-jobs.js';
import { applyPlan, dispatch, finishJob, messageSubject, verifyActiveResult, type TriggeredStart } from '../../src/job/run-queue.js';
import { activate, type JobRequest, type Plan } from '../../src/job/transaction.js';
import { buildGraph, type DependencyGraph } from '../../src/job/unit-graph.js';
import type { Result } from '../../src/common/result.js';
import type { TransactionError } from '../../src/job/transaction-builder.js';

export type Deps = Partial<Record<ForwardDependency, readonly string[]>>;
export interface UnitSpec extends Deps {
  type?: UnitType;
  oneshot?: boolean;
  loadState?: LoadState;
  refusedHere?: boolean;
  reload?: boolean;
  description?: string;
  allowIsolate?: boolean;
  stopWhenUnneeded?: boolean;
  aliases?: string[];
}

/** A UnitConfig with systemd's defaults and the given dependencies. */
export function unitConfig(id: string, spec: UnitSpec = {}): UnitConfig {
  const dependencies = Object.fromEntries(FORWARD_DEPENDENCIES.map((k) => [k, spec[k] ?? []])) as Record<ForwardDependency, string[]>;
  const type: UnitType = spec.type ?? (id.endsWith('.target') ? 'target' : 'service');
  const reload: ExecCommand = { path: '/bin/true', argv: ['/bin/true'], ignoreFailure: false, noEnvExpand: false, fullPrivileges: false, privilegesMode: 'normal', file: id, line: 1 };
  return {
    id,
    type,
    aliases: spec.aliases ?? [],
    loadState: spec.loadState ?? 'loaded',
    loadError: undefined,
    ...(spec.refusedHere === true ? { refusedHere: true } : {}),
    fragmentPath: `/etc/systemd/system/${id}`,
    dropInPaths: [],
    instance: undefined,
    socket: undefined,
    unit: {
      ...defaultUnitSection(),
      description: spec.description,
      dependencies,
      defaultDependencies: false,
      stopWhenUnneeded: spec.stopWhenUnneeded ?? false,
      allowIsolate: spec.allowIsolate ?? false,
    },
    service:
      type === 'service'
        ? {
            ...defaultServiceSection(),
            type: spec.oneshot === false ? 'simple' : 'oneshot',
            remainAfterExit: true,
            execReload: spec.reload ? [reload] : [],
          }
        : undefined,
    timer: undefined,
    install: defaultInstallSection(),
  };
}

export const graphOf = (units: Record<string, UnitSpec>): DependencyGraph => buildGraph(Object.entries(units).map(([id, s]) => unitConfig(id, s)));

/** "unit/type" of every planned job, sorted, for compact assertions. */
export const planJobs = (r: Result<Plan, TransactionError>): string[] => {
  if (!r.ok) throw new Error(`transaction failed: ${r.error.message}`);
  return r.value.jobs.map((j) => `${j.unit}/${j.type}`).sort();
};

export interface Behaviour {
  /** Seconds each unit takes to start (and to stop); default 1. */
  seconds?: Record<string, number>;
  /** Units whose start fails (like fail-start.service: `ExecStart=sleep 1`, `ExecStart=false`). */
  failing?: string[];
}

/** A journal line as the seed article prints them: seconds since the run began and the message. */
export type Line = [number, string];

/**
 * Drives installed jobs the way the manager will: dispatch, run each job for its unit's duration on a
 * FakeClock, finish it, dispatch again. Returns the journal the run produced.
 */
export class Simulation {
  readonly clock = new FakeClock();
  readonly installed = new InstalledJobs();
  readonly journal: Line[] = [];
  readonly triggered: TriggeredStart[] = [];

  constructor(readonly graph: DependencyGraph, readonly behaviour: Behaviour = {}) {}

  private log(message: string): void {
    this.journal.push([this.clock.now() / USEC_PER_SEC, message]);
  }

  /** One systemctl request (one transaction); then the run queue is dispatched unless told not to. */
  request(req: Omit<JobRequest, 'mode'> & { mode?: JobRequest['mode'] }, opts: { dispatch?: boolean } = {}): Result<Plan, TransactionError> {
    const r = activate(this.graph, this.installed, { mode: 'replace', ...req });
    if (r.ok) {
      for (const line of r.value.log) if (line.level !== 'debug') this.log(line.message);
      applyPlan(this.graph, this.installed, r.value);
      if (opts.dispatch !== false) this.run();
    }
    return r;
  }

  /** Dispatches until nothing more can start now. */
  run(): void {
    for (let jobs = dispatch(this.graph, this.installed); jobs.length > 0; jobs = dispatch(this.graph, this.installed)) for (const job of jobs) this.perform(job.id);
  }

  /** Advances time to the end, firing every job completion. */
  settle(limitSeconds = 1000): void {
    this.clock.advance(limitSeconds * USEC_PER_SEC);
  }

  private finish(id: number, result: JobResult, already = false): void {
    const out = finishJob(this.graph, this.installed, id, result, { already });
    for (const line of out.log) if (line.level !== 'debug') this.log(line.message);
    this.triggered.push(...out.triggered);
    this.run();
  }

  private perform(id: number): void {
    const job = this.installed.get(id)!;
    const { unit } = job;
    const state = this.graph.activeState(unit);
    const seconds = (this.behaviour.seconds?.[unit] ?? 1) * USEC_PER_SEC;
    const isTarget = this.graph.info(unit)?.type === 'target';
    if (job.type === 'verify-active') {
      const v = verifyActiveResult(state);
      if (v !== 'wait') this.finish(id, v === 'done' ? 'done' : 'skipped', v === 'done');
      return;
    }
    const starting = job.type === 'start';
    if ((starting && (state === 'active' || state === 'reloading')) || (job.type === 'stop' && (state === 'inactive' || state === 'failed'))) {
      this.finish(id, 'done', true);
      return;
    }
    const start = jobStartMessage(messageSubject(this.graph, unit), job.type);
    if (start) this.log(start);
    this.graph.setActiveState(unit, starting ? 'activating' : job.type === 'reload' ? 'reloading' : 'deactivating');
    const complete = () => {
      if (starting && this.behaviour.failing?.includes(unit)) {
        this.graph.setActiveState(unit, 'failed');
        this.finish(id, 'failed');
        return;
      }
      this.graph.setActiveState(unit, starting || job.type === 'reload' ? 'active' : 'inactive');
      this.finish(id, 'done');
    };
    if (isTarget) complete();
    else this.clock.setTimer(seconds, complete);
  }
}
