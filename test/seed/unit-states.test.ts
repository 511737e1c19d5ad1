// seeds/001, "The states of a unit": sleep.service through inactive → activating → active →
// deactivating → inactive, and fail-start.service ending failed, with real `sleep 1` and `false`.
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { stopAllDaemons } from '../helpers/start-daemon.js';
import { bootExperiment, expectJournal, run, settle, unitLines } from './seed-rig.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const activeLine = (status: string) => /^ {5}Active: (.*?)(?: since .*)?$/m.exec(status)?.[1];

describe('seed 001: the states of a unit', () => {
  test('sleep.service: activating (start) → active (exited) → deactivating (stop) → inactive (dead)', async () => {
    const d = await bootExperiment('sleep');
    const units = ['sleep.service'];
    expect(activeLine((await d.cli('status', 'sleep.service')).stdout)).toBe('inactive (dead)');

    await run(d, 'start', 'sleep.service', '--no-block');
    expect(activeLine((await d.cli('status', 'sleep.service')).stdout)).toBe('activating (start)');
    await settle(d, 'Finished sleep.service.');
    expect(activeLine((await d.cli('status', 'sleep.service')).stdout)).toBe('active (exited)');
    // Dec 06 16:51:42 Starting sleep.service... / 16:51:43 Finished sleep.service.
    expectJournal(unitLines(d, units), [
      [0, 'Starting sleep.service...'],
      [1, 'Finished sleep.service.'],
    ], units);

    const stopAt = Date.now();
    await run(d, 'stop', 'sleep.service', '--no-block');
    expect(activeLine((await d.cli('status', 'sleep.service')).stdout)).toBe('deactivating (stop)');
    await settle(d, 'Stopped sleep.service.');
    expect(activeLine((await d.cli('status', 'sleep.service')).stdout)).toBe('inactive (dead)');
    // 16:52:25 Stopping sleep.service... / 16:52:26 sleep.service: Succeeded. / Stopped sleep.service.
    expectJournal(unitLines(d, units, stopAt), [
      [0, 'Stopping sleep.service...'],
      [1, 'sleep.service: Deactivated successfully.'],
      [1, 'Stopped sleep.service.'],
    ], units);
  });

  test('fail-start.service: activating (start) for a second, then failed (Result: exit-code)', async () => {
    const d = await bootExperiment('fail-start');
    const units = ['fail-start.service'];
    await run(d, 'start', 'fail-start.service', '--no-block');
    expect(activeLine((await d.cli('status', 'fail-start.service')).stdout)).toBe('activating (start)');
    await settle(d, 'Failed to start fail-start.service.');
    expect(activeLine((await d.cli('status', 'fail-start.service')).stdout)).toBe('failed (Result: exit-code)');
    // The article shows no journal here; these are systemd 252's lines for b.service of its Requires= experiment.
    expectJournal(unitLines(d, units), [
      [0, 'Starting fail-start.service...'],
      [1, 'fail-start.service: Main process exited, code=exited, status=1/FAILURE'],
      [1, "fail-start.service: Failed with result 'exit-code'."],
      [1, 'Failed to start fail-start.service.'],
    ], units);
    expect((await d.cli('show', 'fail-start.service', '-p', 'ActiveState,SubState,Result')).stdout).toBe('Result=exit-code\nActiveState=failed\nSubState=failed\n');
  });
});
