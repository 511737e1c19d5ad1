// What the job events tell after the jobs are gone: each unit's last job and how it ended, when each
// running job started, and when the job queue first ran empty (systemd's "Startup finished").
import type { ManagerEvent } from '../protocol/events.js';
import type { JobDurations, JobRecord } from '../protocol/analysis.js';

/** Histogram bounds for job run times (seconds): from a simple service's start to a slow database's. */
const DURATION_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 90];
/** How a start-limit hit's log line ends (looked for in every log line: endsWith, not a regular expression). */
const START_LIMIT_HIT = ': Start request repeated too quickly.';

export class JobHistory {
  private readonly lastByUnit = new Map<string, JobRecord>();
  private readonly live = new Map<number, JobRecord>();
  private finishedAt = 0;
  private sawJob = false;
  private readonly durations: Record<string, { buckets: number[]; count: number; sum: number }> = {};
  private readonly limitHits = new Map<string, number>();

  record(event: ManagerEvent): void {
    if (event.kind === 'log' && event.unit !== undefined && event.msg.endsWith(START_LIMIT_HIT)) this.limitHits.set(event.unit, (this.limitHits.get(event.unit) ?? 0) + 1);
    if (event.kind !== 'job') return;
    this.sawJob = true;
    const known = this.live.get(event.id);
    if (event.step === 'installed') {
      // A merged job keeps its id and its history.
      const job = known ?? { id: event.id, type: event.type, result: undefined, installed: event.time, running: 0, finished: 0 };
      this.live.set(event.id, { ...job, type: event.type });
    } else if (event.step === 'running') {
      this.live.set(event.id, { ...(known ?? { id: event.id, type: event.type, result: undefined, installed: event.time, finished: 0 }), type: event.type, running: event.time });
    } else {
      this.live.delete(event.id);
      const job: JobRecord = { ...(known ?? { id: event.id, installed: event.time, running: 0 }), type: event.type, result: event.result, finished: event.time };
      this.lastByUnit.set(event.unit, job);
      this.observe(job);
      if (this.live.size === 0 && this.finishedAt === 0) this.finishedAt = event.time;
      return;
    }
    this.lastByUnit.set(event.unit, this.live.get(event.id) as JobRecord);
  }

  /** A finished job's run time (from install to finish) into its type's histogram. */
  private observe(job: JobRecord): void {
    const seconds = Math.max(0, job.finished - job.installed) / 1000;
    const d = (this.durations[job.type] ??= { buckets: DURATION_BOUNDS.map(() => 0), count: 0, sum: 0 });
    DURATION_BOUNDS.forEach((bound, i) => {
      if (seconds <= bound) d.buckets[i] = (d.buckets[i] ?? 0) + 1;
    });
    d.count++;
    d.sum += seconds;
  }

  jobDurations(): JobDurations {
    return { bounds: DURATION_BOUNDS, byType: structuredClone(this.durations) };
  }

  startLimitHits(unit: string): number {
    return this.limitHits.get(unit) ?? 0;
  }

  /** The unit's installed job if it has one, else the last one it had. */
  lastJob(unit: string): JobRecord | undefined {
    return this.lastByUnit.get(unit);
  }

  /** When job `id` was queued (0: unknown). */
  installedAt(id: number): number {
    return this.live.get(id)?.installed ?? 0;
  }

  /** When job `id` started running (0: waiting or unknown). */
  runningSince(id: number): number {
    return this.live.get(id)?.running ?? 0;
  }

  /** When the job queue first ran empty; 0 while the first jobs run. Without any job, `fallback`. */
  startupFinished(fallback: number): number {
    return this.sawJob ? this.finishedAt : fallback;
  }
}
