// `unitvisor init` as PID 1 of a PID namespace reaps every orphan re-parented to it: after a service
// left a thousand orphans behind, no zombie lingers and the supervisor still serves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, onTestFinished, test } from 'vitest';
import { childrenOf, readProcStat } from '../../src/process/process-tree.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { puppet, useTmpUnits } from '../helpers/use-tmp-units.js';
import { startInNamespace, stopNamespaceDaemons, zombiesUnder } from './namespace-daemon.js';

afterEach(async () => {
  await stopNamespaceDaemons();
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const ORPHANS = 1000;

test('a thousand orphans are re-parented to PID 1 and reaped: no zombie lingers', async () => {
  // Each `( sleep 4 & )` subshell exits at once, so its sleep is orphaned and re-parented to PID 1;
  // KillMode=process keeps the orphans alive after the oneshot's main process exits.
  const units = useTmpUnits({
    'orphans.service': `[Service]\nType=oneshot\nRemainAfterExit=yes\nKillMode=process\nExecStart=/bin/sh -c 'for i in $(seq ${ORPHANS}); do (exec /bin/sleep 4 &); done; echo made'\n`,
  });
  const d = await startInNamespace([units.dir], units.dir);
  expect((await d.cli('start', 'orphans.service')).code).toBe(0);
  const sleepersOfPid1 = () => childrenOf(d.pid).filter((pid) => readProcStat(pid)?.comm === 'sleep').length;
  // They are PID 1's children now (some may have ended already on a slow machine: at least most of them).
  expect(sleepersOfPid1()).toBeGreaterThan(ORPHANS * 0.9);
  // Every one of them exits after 4 s; PID 1 reaps them all.
  await expect.poll(sleepersOfPid1, { timeout: 15_000, interval: 100 }).toBe(0);
  await expect.poll(() => zombiesUnder(d.pid), { timeout: 5_000, interval: 50 }).toEqual([]);
  expect((await d.cli('is-active', 'orphans.service')).stdout).toBe('active\n');
  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
});

test('orphans that die while the service still runs are reaped as they come: zombies never accumulate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-pid1-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  // A long-running service that keeps orphaning short-lived children (a shell that backgrounds and forgets).
  const units = useTmpUnits({
    'leaky.service': `[Service]\nExecStart=/bin/sh -c 'while :; do for i in 1 2 3 4 5 6 7 8 9 10; do (exec /bin/true &); done; sleep 0.05; done'\n`,
  });
  const d = await startInNamespace([units.dir], dir);
  expect((await d.cli('start', 'leaky.service')).code).toBe(0);
  // Sample for a while: zombies may exist for an instant (between exit and SIGCHLD), never accumulate.
  const samples: number[] = [];
  const until = Date.now() + 2000;
  while (Date.now() < until) {
    samples.push(zombiesUnder(d.pid).length);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the sampling interval
  }
  expect(Math.max(...samples)).toBeLessThan(20);
  expect((await d.cli('is-active', 'leaky.service')).stdout).toBe('active\n');
  d.signal('SIGTERM');
  await d.waitForLog((l) => l.msg === 'Stopped leaky.service.');
  expect(await d.exited).toBe(0);
  expect(zombiesUnder(d.unshare.pid!)).toEqual([]);
});

test('not PID 1, `unitvisor init` is a child subreaper: orphans are re-parented to it and reaped', async () => {
  const units = useTmpUnits({
    'orphans.service': `[Service]\nType=oneshot\nRemainAfterExit=yes\nKillMode=process\nExecStart=${puppet('orphan-maker', 20, 1000)}\n`,
  });
  const d = await startDaemon(units.dir);
  expect((await d.cli('start', 'orphans.service')).code).toBe(0);
  const printed = await d.waitForLog((l) => l.unit === 'orphans.service' && l.msg.startsWith('['));
  const orphans = JSON.parse(printed.msg) as number[];
  expect(orphans).toHaveLength(20);
  for (const pid of orphans) expect(readProcStat(pid)?.ppid).toBe(d.child.pid);
  // Gone entirely: neither running nor a zombie.
  await expect.poll(() => orphans.filter((pid) => readProcStat(pid) !== undefined), { timeout: 10_000 }).toEqual([]);
  expect(await d.stop()).toBe(0);
});
