// seeds/001, "Ordering dependencies": two services in parallel, a Before=b, `stop b a` versus
// `stop a b`, and the six-service Before= DAG, through the real daemon with real `sleep` processes.
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

describe('seed 001: ordering dependencies', () => {
  test('no ordering: `start a.service b.service --no-block` starts both in parallel', async () => {
    const d = await bootExperiment('parallel');
    await run(d, 'start', 'a.service', 'b.service', '--no-block');
    await settle(d, 'Finished b.service.');
    // Dec 06 16:54:32 Starting a / Starting b; 16:54:33 Finished a / Finished b.
    expectJournal(unitLines(d, AB), [
      [0, 'Starting a.service...'],
      [0, 'Starting b.service...'],
      [1, 'Finished a.service.'],
      [1, 'Finished b.service.'],
    ], AB);
  });

  test('a Before=b: b starts once a has finished starting; show b lists the reverse edge After=a.service', async () => {
    const d = await bootExperiment('before');
    expect((await d.cli('show', 'b.service', '-p', 'After')).stdout).toMatch(/^After=.*\ba\.service\b/);
    expect((await d.cli('show', 'a.service', '-p', 'Before')).stdout).toMatch(/^Before=.*\bb\.service\b/);
    await run(d, 'start', 'a.service', 'b.service', '--no-block');
    await settle(d, 'Finished b.service.');
    expectJournal(unitLines(d, AB), [
      [0, 'Starting a.service...'],
      [1, 'Finished a.service.'],
      [1, 'Starting b.service...'],
      [2, 'Finished b.service.'],
    ], AB);
  });

  test('`stop b.service a.service --no-block`: b stops first, then a (reverse order)', async () => {
    const d = await bootExperiment('before');
    await run(d, 'start', 'a.service', 'b.service');
    const from = Date.now();
    await run(d, 'stop', 'b.service', 'a.service', '--no-block');
    await settle(d, 'Stopped a.service.');
    // Dec 06 16:55:46 .. 16:55:48
    expectJournal(unitLines(d, AB, from), [
      [0, 'Stopping b.service...'],
      [1, 'b.service: Deactivated successfully.'],
      [1, 'Stopped b.service.'],
      [1, 'Stopping a.service...'],
      [2, 'a.service: Deactivated successfully.'],
      [2, 'Stopped a.service.'],
    ], AB);
  });

  test('`stop a.service b.service --no-block`: a is already stopping when b is queued, so both stop in parallel', async () => {
    const d = await bootExperiment('before');
    await run(d, 'start', 'a.service', 'b.service');
    const from = Date.now();
    await run(d, 'stop', 'a.service', 'b.service', '--no-block');
    await settle(d, 'Stopped b.service.');
    // Not printed in the article; systemd 252 (the oracle) stops both within 3 ms of each other.
    expectJournal(unitLines(d, AB, from), [
      [0, 'Stopping a.service...'],
      [0, 'Stopping b.service...'],
      [1, 'a.service: Deactivated successfully.'],
      [1, 'Stopped a.service.'],
      [1, 'b.service: Deactivated successfully.'],
      [1, 'Stopped b.service.'],
    ], AB);
  });

  test('the six-service Before= DAG finishes in 7 s where one after the other needs 12 s', async () => {
    const d = await bootExperiment('dag');
    await run(d, 'start', ...SIX, '--no-block');
    await settle(d, 'Finished f.service.');
    // Dec 06 16:56:27 .. 16:56:34
    expectJournal(unitLines(d, SIX), DAG_JOURNAL, SIX);
  });
});
