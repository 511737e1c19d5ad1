// systemd's console status while jobs run (manager_print_jobs_in_progress() in src/core/manager.c):
// two seconds after jobs began, every third of a second, one running job's line behind a moving
// "cylon" of stars, overwritten in place and erased once the jobs are done. Drawn on a terminal only.
import type { Clock, TimerHandle } from '../common/clock.js';
import { formatTimespan } from '../unit/values/timespan.js';
import type { JobInfo } from './unit-info.js';

/** JOBS_IN_PROGRESS_WAIT_USEC, JOBS_IN_PROGRESS_PERIOD_USEC and _DIVISOR of systemd 252. */
export const JOBS_IN_PROGRESS_WAIT_USEC = 2_000_000;
export const JOBS_IN_PROGRESS_PERIOD_USEC = 333_333;
const PERIOD_DIVISOR = 3;
const CYLON_WIDTH = 6;

const RED = '\x1b[0;31m';
const HIGHLIGHT_RED = '\x1b[0;1;31m';
const NORMAL = '\x1b[0m';
/** status_vprintf(): back to the ephemeral line printed before (reverse line feed), and erase it. */
export const ERASE_EPHEMERAL = '\x1bM\r\x1b[K';

/** draw_cylon(): three stars, the middle one bright, bouncing across six columns. */
export function drawCylon(pos: number, colour: boolean): string {
  const c = (code: string) => (colour ? code : '');
  let s = '';
  if (pos > 1) s += ' '.repeat(Math.max(0, pos - 2)) + c(RED) + '*';
  if (pos > 0 && pos <= CYLON_WIDTH) s += c(HIGHLIGHT_RED) + '*';
  s += c(NORMAL);
  if (pos < CYLON_WIDTH) s += c(RED) + '*' + ' '.repeat(Math.max(0, CYLON_WIDTH - 1 - pos)) + c(NORMAL);
  return s;
}

/**
 * The status line of iteration `iteration`: which running job (each shown for three iterations in
 * turn), "(2 of 3)" when several run, how long since the job was queued and its unit's timeout.
 * The words are those of systemd 252 with the combined unit format (unitvisor's "Starting x.service -
 * Description..." messages): "Job web.service/start running (3s / 1min 30s)", then the unit's STATUS=.
 */
export function jobsInProgressLine(jobs: readonly JobInfo[], iteration: number, nowMs: number, colour: boolean): string | undefined {
  const running = jobs.filter((j) => j.state === 'running');
  if (running.length === 0) return undefined;
  const index = Math.floor(iteration / PERIOD_DIVISOR) % running.length;
  const job = running[index] as JobInfo;
  const cylonPos = iteration % 14 >= 8 ? 14 - (iteration % 14) : iteration % 14;
  const begin = job.installedAt ?? job.runningSince ?? nowMs;
  const span = (ms: number) => formatTimespan(Math.max(0, ms) * 1000, 1_000_000);
  const limit = job.timeoutAt !== undefined ? span(job.timeoutAt - begin) : 'no limit';
  const ofN = running.length > 1 ? `(${index + 1} of ${running.length}) ` : '';
  const status = job.statusText ? `: ${job.statusText}` : '';
  return `[${drawCylon(cylonPos, colour)}] ${ofN}Job ${job.unit}/${job.type} running (${span(nowMs - begin)} / ${limit})${status}`;
}

/**
 * The ticking part, for any source of jobs (the daemon's own list, or list-jobs over the socket):
 * armed when jobs start, first drawn after JOBS_IN_PROGRESS_WAIT_USEC, then every period while a job
 * runs; `stop()` erases the line. Each line ends in a newline, as systemd's do, and the next one
 * first moves back over it.
 */
export class JobsInProgress {
  private timer: TimerHandle | undefined;
  private iteration = 0;
  private shown = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly jobs: () => readonly JobInfo[] | Promise<readonly JobInfo[]>,
    private readonly write: (text: string) => void,
    private readonly colour: boolean,
  ) {}

  /** Arms the first draw unless one is pending (manager_watch_jobs_in_progress()). */
  watch(): void {
    if (this.timer || this.stopped) return;
    this.timer = this.clock.setTimer(JOBS_IN_PROGRESS_WAIT_USEC, () => void this.tick());
  }

  /** Erases a line drawn over something else about to be written (a log line), keeping the watch. */
  clear(): void {
    if (!this.shown) return;
    this.write(ERASE_EPHEMERAL);
    this.shown = false;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.clear();
  }

  private async tick(): Promise<void> {
    let jobs: readonly JobInfo[];
    try {
      jobs = await this.jobs();
    } catch {
      jobs = [];
    }
    this.timer = undefined;
    if (this.stopped) return;
    const line = jobsInProgressLine(jobs, this.iteration, this.clock.wallNow(), this.colour);
    if (line === undefined) {
      this.clear();
      this.iteration = 0;
      // Jobs that wait will run: look again. With no job at all the watch ends until watch() is called again.
      if (jobs.length > 0) this.timer = this.clock.setTimer(JOBS_IN_PROGRESS_PERIOD_USEC, () => void this.tick());
      return;
    }
    this.iteration++;
    this.write(`${this.shown ? ERASE_EPHEMERAL : ''}${line}\n`);
    this.shown = true;
    this.timer = this.clock.setTimer(JOBS_IN_PROGRESS_PERIOD_USEC, () => void this.tick());
  }
}
