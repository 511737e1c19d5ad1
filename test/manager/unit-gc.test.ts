// Unit garbage collection as systemd 252's unit_may_gc()/unit_gc_sweep() decide (test/fixtures/oracle/job-edges.txt,
// case 8): a unit that ends inactive with no job and nothing loaded naming it is unloaded, and the next
// request loads it afresh; failed units stay (unless CollectMode=inactive-or-failed), as do the units that
// a loaded unit names.
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import type { Supervisor } from '../../src/api/index.js';
import { shutdownSupervisors, supervise } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

/** The collection runs once the event that made a unit collectable is handled: one turn later. */
const collected = () => new Promise((resolve) => setImmediate(resolve));
const loaded = (sv: Supervisor) => sv.listUnits({ all: true }).map((u) => u.id).filter((id) => !/\.target$|^(emergency|rescue)\.service$/.test(id));

test('a unit that ended inactive is unloaded; show loads it afresh (ExecMainStatus=0, no timestamps)', async () => {
  const { sv } = await supervise({ 'gc.service': `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'exit 3'\nSuccessExitStatus=3\n` });
  await sv.start('gc.service');
  expect(sv.listUnits({ all: true }).map((u) => u.id)).toContain('gc.service');
  await collected();
  expect(loaded(sv)).toEqual([]);
  const fresh = sv.show('gc.service');
  expect(fresh).toMatchObject({ LoadState: 'loaded', ActiveState: 'inactive', ExecMainStatus: '0', NRestarts: '0', Result: 'success', InactiveEnterTimestamp: '' });
  await collected();
  expect(loaded(sv)).toEqual([]);
});

test('a failed unit stays loaded until reset-failed; CollectMode=inactive-or-failed unloads it at once', async () => {
  const { sv } = await supervise({
    'keep.service': `[Service]\nType=oneshot\nExecStart=/bin/false\n`,
    'drop.service': `[Unit]\nCollectMode=inactive-or-failed\n[Service]\nType=oneshot\nExecStart=/bin/false\n`,
  });
  await sv.enqueue('start', 'keep.service').finished;
  await sv.enqueue('start', 'drop.service').finished;
  await collected();
  expect(loaded(sv)).toEqual(['keep.service']);
  expect(sv.show('keep.service')).toMatchObject({ ActiveState: 'failed', Result: 'exit-code', ExecMainStatus: '1' });
  expect(sv.show('drop.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success', ExecMainStatus: '0' });
  sv.resetFailed('keep.service');
  await collected();
  expect(loaded(sv)).toEqual([]);
});

test('what a loaded unit names stays loaded with it (a not-found one too), and goes with it', async () => {
  const { sv } = await supervise({
    'main.service': `[Unit]\nWants=ref.service missing.service\n[Service]\nExecStart=/bin/sleep 100\n`,
    'ref.service': `[Service]\nType=oneshot\nExecStart=/bin/true\n`,
  });
  await sv.start('main.service');
  await collected();
  expect(loaded(sv)).toEqual(['main.service', 'missing.service', 'ref.service']);
  expect(sv.status('missing.service')).toMatchObject({ loadState: 'not-found' });
  await sv.stop('main.service');
  // main.service goes first; what it named becomes collectable then, in a later sweep.
  await expect.poll(() => loaded(sv)).toEqual([]);
});

test('a unit with a job or still running is never unloaded', async () => {
  const { sv } = await supervise({ 'run.service': `[Service]\nExecStartPre=/bin/sleep 100\nExecStart=/bin/sleep 100\n` });
  sv.enqueue('start', 'run.service');
  await sv.waitFor('run.service', 'activating');
  await collected();
  expect(loaded(sv)).toEqual(['run.service']);
  await sv.stop('run.service'); // killed in start-pre: failed, so it stays
  await collected();
  expect(loaded(sv)).toEqual(['run.service']);
  expect(sv.activeState('run.service')).toBe('failed');
});
