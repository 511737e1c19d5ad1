// `start --dry-run`: a planned transaction as the jobs it would install, in the order they may run
// (job_compare over After=/Before=, as the run queue applies it), and the jobs it would cancel.
import type { DryRunReport } from '../protocol/analysis.js';
import type { InstalledJobs } from '../job/installed-jobs.js';
import { jobCompare, ORDERING_KINDS } from '../job/ordering.js';
import type { Plan, PlannedJob } from '../job/transaction.js';
import type { UnitGraph } from '../job/unit-graph.js';

/** Each planned job with the planned jobs it waits for, and its order: 1 + the highest order it waits for. */
export function describePlan(graph: UnitGraph, installed: InstalledJobs, plan: Plan): DryRunReport {
  const jobs = plan.jobs.filter((j) => j.type !== 'nop');
  const byUnit = new Map(jobs.map((j) => [j.unit, j]));
  const waitsFor = new Map<PlannedJob, PlannedJob[]>();
  for (const job of jobs) {
    const before: PlannedJob[] = [];
    for (const kind of ORDERING_KINDS) {
      for (const other of graph.deps(job.unit, kind)) {
        const o = byUnit.get(other);
        if (o && o !== job && jobCompare(job, o, kind) > 0 && !before.includes(o)) before.push(o);
      }
    }
    waitsFor.set(job, before);
  }
  const order = new Map<PlannedJob, number>();
  const orderOf = (job: PlannedJob, visiting: Set<PlannedJob>): number => {
    const known = order.get(job);
    if (known !== undefined) return known;
    // The transaction broke every cycle; a guard keeps a malformed graph from recursing forever.
    if (visiting.has(job)) return 1;
    visiting.add(job);
    const n = 1 + Math.max(0, ...(waitsFor.get(job) ?? []).map((w) => orderOf(w, visiting)));
    visiting.delete(job);
    order.set(job, n);
    return n;
  };
  const rows = jobs.map((job) => ({ unit: job.unit, type: job.type, order: orderOf(job, new Set()), waitsFor: (waitsFor.get(job) ?? []).map((w) => w.unit) }));
  rows.sort((a, b) => a.order - b.order || (a.unit < b.unit ? -1 : 1));
  const canceled = plan.cancel.flatMap((id) => {
    const job = installed.get(id);
    return job ? [{ unit: job.unit, type: job.type, id }] : [];
  });
  return { ok: true, jobs: rows, canceled, messages: plan.log.map((l) => l.message) };
}
