// Who pulled whom into a transaction (systemd 252 transaction.c JobDependency, transaction_unlink_job): links by number in typed arrays, no object per link.
import { grown } from '../common/grown-array.js';

/** A link's flags. LIVE is cleared once either end is deleted: chains with a flag instead of sets make unlinking from a job that pulls in thousands O(1). */
export const LIVE = 1;
/** Not Wants=: the object matters to the anchor if the subject does. */
export const MATTERS = 2;
/** Pulled in by Conflicts= (job_is_conflicted_by). */
export const CONFLICTS = 4;

/** No link (the end of a chain), or no subject (the anchor's link). */
export const NONE = -1;

/**
 * A transaction's links and, per job (by the index addJob gave it), the chains of links it is in: the links
 * where it is the subject (it pulled the object in) and those where it is the object, each oldest first.
 * The arrays are read directly (never written from outside); adding may replace them with larger ones.
 */
export class JobLinks {
  subject: Int32Array = new Int32Array(64);
  object: Int32Array = new Int32Array(64);
  flags: Uint8Array = new Uint8Array(64);
  /** The next link in the subject's chain, and in the object's. */
  nextPull: Int32Array = new Int32Array(64);
  nextPulledBy: Int32Array = new Int32Array(64);
  /** Per job: the first and last link of each of its chains. */
  firstPull: Int32Array = new Int32Array(16).fill(NONE);
  lastPull: Int32Array = new Int32Array(16).fill(NONE);
  firstPulledBy: Int32Array = new Int32Array(16).fill(NONE);
  lastPulledBy: Int32Array = new Int32Array(16).fill(NONE);
  private links = 0;
  private jobs = 0;

  /** A job's index, with empty chains. */
  addJob(): number {
    if (this.jobs === this.firstPull.length) {
      const size = 2 * this.jobs;
      this.firstPull = grown(this.firstPull, size, NONE);
      this.lastPull = grown(this.lastPull, size, NONE);
      this.firstPulledBy = grown(this.firstPulledBy, size, NONE);
      this.lastPulledBy = grown(this.lastPulledBy, size, NONE);
    }
    return this.jobs++;
  }

  /** A live link from job `subject` (NONE for the anchor) to job `object`, at the end of both chains. */
  add(subject: number, object: number, flags: number): void {
    if (this.links === this.subject.length) this.grow(2 * this.links);
    const l = this.links++;
    this.subject[l] = subject;
    this.object[l] = object;
    this.flags[l] = flags | LIVE;
    this.nextPull[l] = this.nextPulledBy[l] = NONE;
    if (subject !== NONE) {
      if (this.lastPull[subject]! === NONE) this.firstPull[subject] = l;
      else this.nextPull[this.lastPull[subject]!] = l;
      this.lastPull[subject] = l;
    }
    if (this.lastPulledBy[object]! === NONE) this.firstPulledBy[object] = l;
    else this.nextPulledBy[this.lastPulledBy[object]!] = l;
    this.lastPulledBy[object] = l;
  }

  /** Empties a deleted job's chains (its links are unlinked one by one by whoever walks them). */
  clear(job: number): void {
    this.firstPull[job] = this.lastPull[job] = this.firstPulledBy[job] = this.lastPulledBy[job] = NONE;
  }

  private grow(size: number): void {
    this.subject = grown(this.subject, size, NONE);
    this.object = grown(this.object, size, NONE);
    this.nextPull = grown(this.nextPull, size, NONE);
    this.nextPulledBy = grown(this.nextPulledBy, size, NONE);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
  }
}
