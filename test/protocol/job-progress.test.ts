// systemd's console status for running jobs, as manager_print_jobs_in_progress() draws it, on a fake clock.
import { describe, expect, test } from 'vitest';
import { FakeClock } from '../../src/common/clock.js';
import { drawCylon, ERASE_EPHEMERAL, jobsInProgressLine, JobsInProgress } from '../../src/protocol/job-progress.js';
import type { JobInfo } from '../../src/protocol/unit-info.js';

const T0 = 1_700_000_000_000;
const job = (over: Partial<JobInfo>): JobInfo => ({ id: 1, unit: 'web.service', type: 'start', state: 'running', installedAt: T0, runningSince: T0, ...over });

describe('the cylon', () => {
  test('three stars bounce across six columns, positions 0..7 and back, as draw_cylon() draws them', () => {
    const frames = Array.from({ length: 14 }, (_, i) => drawCylon(i % 14 >= 8 ? 14 - (i % 14) : i % 14, false));
    expect(frames).toEqual(['*     ', '**    ', '***   ', ' ***  ', '  *** ', '   ***', '    **', '     *', '    **', '   ***', '  *** ', ' ***  ', '***   ', '**    ']);
    // In colour the middle star is bright red, its neighbours red.
    expect(drawCylon(3, true)).toBe(' \x1b[0;31m*\x1b[0;1;31m*\x1b[0m\x1b[0;31m*  \x1b[0m');
  });
});

describe('the status line', () => {
  test('systemd 252 words it "Job UNIT/TYPE running (TIME / LIMIT)" with the unit’s STATUS= after it', () => {
    expect(jobsInProgressLine([job({ timeoutAt: T0 + 90_000 })], 0, T0 + 5_400, false)).toBe('[*     ] Job web.service/start running (5s / 1min 30s)');
    expect(jobsInProgressLine([job({ type: 'stop', statusText: 'Flushing caches' })], 0, T0 + 65_000, false)).toBe('[*     ] Job web.service/stop running (1min 5s / no limit): Flushing caches');
    // Counted from when the job was queued (systemd's begin_usec), not from when it began to run.
    expect(jobsInProgressLine([job({ installedAt: T0 - 3_000 })], 0, T0, false)).toBe('[*     ] Job web.service/start running (3s / no limit)');
  });

  test('several running jobs take turns, three frames each, numbered "(2 of 2)"; waiting jobs are not shown', () => {
    const jobs = [job({}), job({ id: 2, unit: 'db.service' }), job({ id: 3, unit: 'idle.service', state: 'waiting' })];
    const units = Array.from({ length: 7 }, (_, i) => /\) Job (\S+)\//.exec(jobsInProgressLine(jobs, i, T0, false) ?? '')?.[1]);
    expect(units).toEqual(['web.service', 'web.service', 'web.service', 'db.service', 'db.service', 'db.service', 'web.service']);
    expect(jobsInProgressLine(jobs, 3, T0, false)).toContain('] (2 of 2) Job db.service/start');
    expect(jobsInProgressLine([job({ state: 'waiting' })], 0, T0, false)).toBeUndefined();
  });
});

describe('JobsInProgress', () => {
  test('nothing for two seconds, then a line every third of a second, each over the last; stop erases it', async () => {
    const clock = new FakeClock(0, T0);
    let jobs: JobInfo[] = [job({ timeoutAt: T0 + 90_000 })];
    const written: string[] = [];
    const progress = new JobsInProgress(clock, () => jobs, (t) => written.push(t), false);
    progress.watch();
    const settle = () => new Promise((r) => setImmediate(r));
    clock.advance(1_999_000);
    await settle();
    expect(written).toEqual([]);
    clock.advance(1_000);
    await settle();
    expect(written).toEqual(['[*     ] Job web.service/start running (2s / 1min 30s)\n']);
    clock.advance(333_333);
    await settle();
    expect(written[1]).toBe(`${ERASE_EPHEMERAL}[**    ] Job web.service/start running (2s / 1min 30s)\n`);
    // A log line about to be written: the status line goes first, and comes back at the next tick.
    progress.clear();
    expect(written[2]).toBe(ERASE_EPHEMERAL);
    clock.advance(333_333);
    await settle();
    expect(written[3]).toBe('[***   ] Job web.service/start running (2s / 1min 30s)\n');
    progress.stop();
    expect(written[4]).toBe(ERASE_EPHEMERAL);
    expect(clock.pendingTimers()).toBe(0);
    // With no job left the watch ends by itself: an idle manager arms no timer.
    jobs = [];
    const idle = new JobsInProgress(clock, () => jobs, () => {}, false);
    idle.watch();
    clock.advance(2_000_000);
    await settle();
    expect(clock.pendingTimers()).toBe(0);
  });
});
