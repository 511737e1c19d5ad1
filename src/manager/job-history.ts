// What the job events tell after the jobs are gone: each unit's last job and how it ended, when each
// running job started, and when the job queue first ran empty (systemd's "Startup finished").
import type { ManagerEvent } from '../protocol/events.js';
import type { JobRecord } from '../protocol/analysis.js';

export class JobHistory {
  private readonly lastByUnit = new Map<string, JobRecord>();
  private readonly live = new Map<number, JobRecord>();
  private finishedAt = 0;
  private sawJob = false;

  record(event: ManagerEvent): void {
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
      if (this.live.size === 0 && this.finishedAt === 0) this.finishedAt = event.time;
      return;
    }
    this.lastByUnit.set(event.unit, this.live.get(event.id) as JobRecord);
  }

  /** The unit's installed job if it has one, else the last one it had. */
  lastJob(unit: string): JobRecord | undefined {
    return this.lastByUnit.get(unit);
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
