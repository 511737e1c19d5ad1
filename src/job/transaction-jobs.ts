// A transaction's jobs per unit (systemd 252 transaction.c tr->jobs): each unit's newest first, units in the order they joined, found by unit number.
import type { TrJob } from './transaction-builder.js';
import { holeyArray } from '../common/holey-array.js';

export class UnitJobs {
  /** Each unit's list, in the order the units joined; a unit whose jobs are all deleted keeps its emptied list here, skipped. */
  private readonly order: TrJob[][] = holeyArray();
  private readonly byNumber: (TrJob[] | undefined)[] = holeyArray();
  /** Units the graph does not number (a stop asked for a name nothing declares), by name. */
  private readonly unnumbered = new Map<string, TrJob[]>();
  /** Whether some unit has had several jobs at once: until then there is nothing to merge, and no job's type has changed. */
  hadSeveral = false;

  /** The unit's jobs, newest first; `number` is the unit's graph.numberOf(). */
  of(unit: string, number: number): readonly TrJob[] | undefined {
    return this.list(unit, number);
  }

  /** Adds a job as its unit's newest (LIST_PREPEND). */
  add(job: TrJob): void {
    const list = this.list(job.unit, job.number);
    if (list) {
      list.unshift(job);
      this.hadSeveral = true;
      return;
    }
    const fresh = [job];
    this.order.push(fresh);
    if (job.number >= 0) this.byNumber[job.number] = fresh;
    else this.unnumbered.set(job.unit, fresh);
  }

  /** Removes a job from its unit's list; a unit left with none leaves the transaction. */
  remove(job: TrJob): void {
    const list = this.list(job.unit, job.number);
    const i = list ? list.indexOf(job) : -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    if (list.length > 0) return;
    if (job.number >= 0) this.byNumber[job.number] = undefined;
    else this.unnumbered.delete(job.unit);
  }

  /** Leaves `keep` its unit's only job (the others merged into it). */
  keepOnly(keep: TrJob): void {
    const list = this.list(keep.unit, keep.number);
    if (!list) return;
    list.length = 0;
    list.push(keep);
  }

  /** Each unit that has jobs, with its list, in the order the units joined. */
  forEach(fn: (list: readonly TrJob[], unit: string) => void): void {
    for (let i = 0; i < this.order.length; i++) {
      const list = this.order[i]!;
      if (list.length > 0) fn(list, list[0]!.unit);
    }
  }

  private list(unit: string, number: number): TrJob[] | undefined {
    return number >= 0 ? this.byNumber[number] : this.unnumbered.get(unit);
  }
}
