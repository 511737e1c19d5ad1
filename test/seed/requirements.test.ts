// seeds/001, "Requirement dependencies": Wants= (a wants b; the DAG started from f and from e),
// Requires= + After= a failing unit, Conflicts= with and without ordering, and the five-unit example.
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { stopAllDaemons } from '../helpers/start-daemon.js';
import { bootExperiment, DAG_JOURNAL, expectJournal, run, settle, unitLines } from './seed-rig.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const AB = ['a.service', 'b.service'];
const SIX = ['a', 'b', 'c', 'd', 'e', 'f'].map((u) => `${u}.service`);
const FIVE = SIX.slice(0, 5);
const show = async (d: Awaited<ReturnType<typeof bootExperiment>>, unit: string) => (await d.cli('show', unit, '-p', 'ActiveState,SubState,Result')).stdout;

describe('seed 001: Wants=', () => {
  test('a Wants=b: `start a.service` starts b too, in parallel (no ordering)', async () => {
    const d = await bootExperiment('wants');
    await run(d, 'start', 'a.service', '--no-block');
    await settle(d, 'Finished b.service.');
    // Dec 06 16:57:17 Starting a / Starting b; 16:57:18 Finished a / Finished b.
    expectJournal(unitLines(d, AB), [
      [0, 'Starting a.service...'],
      [0, 'Starting b.service...'],
      [1, 'Finished a.service.'],
      [1, 'Finished b.service.'],
    ], AB);
  });

  test('the DAG with Wants=: `start f.service` pulls in all six, in the same order as before', async () => {
    const d = await bootExperiment('wants-dag');
    await run(d, 'start', 'f.service', '--no-block');
    await settle(d, 'Finished f.service.');
    expectJournal(unitLines(d, SIX), DAG_JOURNAL, SIX);
  });

  test('the DAG with Wants=: `start e.service` starts a, b, c, e only (ordering pulls nothing in)', async () => {
    const d = await bootExperiment('wants-dag');
    await run(d, 'start', 'e.service', '--no-block');
    await settle(d, 'Finished e.service.');
    expectJournal(unitLines(d, SIX), [
      [0, 'Starting a.service...'],
      [0, 'Starting b.service...'],
      [1, 'Finished b.service.'],
      [3, 'Finished a.service.'],
      [3, 'Starting c.service...'],
      [4, 'Finished c.service.'],
      [4, 'Starting e.service...'],
      [5, 'Finished e.service.'],
    ], SIX);
    expect(await show(d, 'd.service')).toBe('Result=success\nActiveState=inactive\nSubState=dead\n');
    expect(await show(d, 'f.service')).toBe('Result=success\nActiveState=inactive\nSubState=dead\n');
  });
});

describe('seed 001: Requires=', () => {
  test('a Requires=+After= a failing b: "Dependency failed for a.service.", a stays inactive (dead) with Result=success', async () => {
    const d = await bootExperiment('requires');
    await run(d, 'start', 'a.service', '--no-block');
    await settle(d, "a.service: Job a.service/start failed with result 'dependency'.");
    // Dec 06 16:57:53 .. 16:57:54
    const lines = unitLines(d, AB);
    expectJournal(lines, [
      [0, 'Starting b.service...'],
      [1, 'b.service: Main process exited, code=exited, status=1/FAILURE'],
      [1, "b.service: Failed with result 'exit-code'."],
      [1, 'Failed to start b.service.'],
      [1, 'Dependency failed for a.service.'],
      [1, "a.service: Job a.service/start failed with result 'dependency'."],
    ], AB);
    // a's failure follows from b's: it comes after it.
    expect(lines.map((l) => l.msg).indexOf('Dependency failed for a.service.')).toBeGreaterThan(lines.map((l) => l.msg).indexOf('Failed to start b.service.'));
    expect(await show(d, 'a.service')).toBe('Result=success\nActiveState=inactive\nSubState=dead\n');
    expect(await show(d, 'b.service')).toBe('Result=exit-code\nActiveState=failed\nSubState=failed\n');
  });
});

describe('seed 001: Conflicts=', () => {
  test('a Conflicts=b, unordered: starting b stops a in parallel; starting a again stops b', async () => {
    const d = await bootExperiment('conflicts');
    await run(d, 'start', 'a.service');
    const from = Date.now();
    await run(d, 'start', 'b.service', '--no-block');
    await settle(d, 'Finished b.service.');
    // Dec 06 16:58:45 .. 16:58:46
    expectJournal(unitLines(d, AB, from), [
      [0, 'Stopping a.service...'],
      [0, 'Starting b.service...'],
      [1, 'a.service: Deactivated successfully.'],
      [1, 'Stopped a.service.'],
      [1, 'Finished b.service.'],
    ], AB);
    await run(d, 'start', 'a.service');
    expect((await d.cli('is-active', 'a.service', 'b.service')).stdout).toBe('active\ninactive\n');
  });

  test.each(['Before', 'After'])('a Conflicts=b with %s=: a shutdown is always ordered before a start-up', async (ordering) => {
    const d = await bootExperiment('conflicts-ordered');
    if (ordering === 'After') {
      // The same experiment with After= in place of the example's Before=.
      const { readFileSync, writeFileSync } = await import('node:fs');
      const path = `${d.socket.replace(/\/\.control\.sock$/, '')}/a.service`;
      writeFileSync(path, readFileSync(path, 'utf8').replace('Before=b.service', 'After=b.service'));
      await run(d, 'daemon-reload');
      expect((await d.cli('show', 'a.service', '-p', 'After')).stdout).toMatch(/\bb\.service\b/);
    }
    await run(d, 'start', 'a.service');
    const from = Date.now();
    await run(d, 'start', 'b.service', '--no-block');
    await settle(d, 'Finished b.service.');
    expectJournal(unitLines(d, AB, from), [
      [0, 'Stopping a.service...'],
      [1, 'a.service: Deactivated successfully.'],
      [1, 'Stopped a.service.'],
      [1, 'Starting b.service...'],
      [2, 'Finished b.service.'],
    ], AB);
  });
});

describe('seed 001: the five-unit Wants=/Requires=/Conflicts= example', () => {
  test('start d (d, e in parallel), then start a: d, e stop while b starts and fails, c starts once e has stopped, a fails', async () => {
    const d = await bootExperiment('five-units');
    await run(d, 'start', 'd.service', '--no-block');
    await settle(d, 'Finished e.service.');
    expectJournal(unitLines(d, FIVE), [
      [0, 'Starting d.service...'],
      [0, 'Starting e.service...'],
      [1, 'Finished d.service.'],
      [1, 'Finished e.service.'],
    ], FIVE);

    const from = Date.now();
    await run(d, 'start', 'a.service', '--no-block');
    await settle(d, 'Finished c.service.');
    // The article gives no journal here; systemd 252 (the oracle) logs these lines at these times.
    const lines = unitLines(d, FIVE, from);
    expectJournal(lines, [
      [0, 'Starting b.service...'],
      [0, 'Stopping d.service...'],
      [0, 'Stopping e.service...'],
      [1, 'd.service: Deactivated successfully.'],
      [1, 'Stopped d.service.'],
      [1, 'e.service: Deactivated successfully.'],
      [1, 'Stopped e.service.'],
      [1, 'Starting c.service...'],
      [1, 'b.service: Main process exited, code=exited, status=1/FAILURE'],
      [1, "b.service: Failed with result 'exit-code'."],
      [1, 'Failed to start b.service.'],
      [1, 'Dependency failed for a.service.'],
      [1, "a.service: Job a.service/start failed with result 'dependency'."],
      [2, 'Finished c.service.'],
    ], FIVE);
    const order = lines.map((l) => l.msg);
    expect(order.indexOf('Starting c.service...')).toBeGreaterThan(order.indexOf('Stopped e.service.'));
    expect(order.indexOf('Dependency failed for a.service.')).toBeGreaterThan(order.indexOf('Failed to start b.service.'));
    expect((await d.cli('is-active', 'a.service', 'b.service', 'c.service', 'd.service', 'e.service')).stdout).toBe('inactive\nfailed\nactive\ninactive\ninactive\n');
  });
});
