// `unitvisor init` as PID 1 of a PID namespace reaps every orphan re-parented to it: after a service
// left a thousand orphans behind, no zombie lingers and the supervisor still serves. The orphans live
// until the test says: they read a FIFO that only the test holds open for writing, and end at its EOF.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, onTestFinished, test } from 'vitest';
import { childrenOf, readProcStat } from '../../src/process/process-tree.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { startInNamespace, stopNamespaceDaemons, zombiesUnder } from './namespace-daemon.js';

afterEach(async () => {
  await stopNamespaceDaemons();
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

/** A FIFO the test holds open read-write (so a service opening it never blocks): the test writes to it, and
 *  closing it is EOF for every reader, the orphans' cue to exit. */
function heldFifo(): { path: string; fd: number; release: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-reap-'));
  const path = join(dir, 'fifo');
  execFileSync('mkfifo', [path]);
  const fd = openSync(path, 'r+');
  let open = true;
  const release = () => {
    if (open) closeSync(fd);
    open = false;
  };
  onTestFinished(() => {
    release();
    rmSync(dir, { recursive: true, force: true });
  });
  return { path, fd, release };
}

/** A oneshot whose main process leaves `count` orphans (`cat` reading the FIFO) and exits once all are orphaned:
 *  each `( ... & )` subshell exits at once, so its cat is re-parented to the nearest subreaper before the loop
 *  goes on. KillMode=process keeps them alive after the main process exits. */
const orphanMaker = (count: number, fifo: string) =>
  `[Service]\nType=oneshot\nRemainAfterExit=yes\nKillMode=process\nExecStart=/bin/sh -c 'exec 3<${fifo}; for i in $(seq ${count}); do (exec /bin/cat <&3 >/dev/null &); done; echo made'\n`;

const catsUnder = (pid: number) => childrenOf(pid).filter((child) => readProcStat(child)?.comm === 'cat');

test('a thousand orphans are re-parented to PID 1 and reaped: as many reaped as were made, no zombie left', async () => {
  const ORPHANS = 1000;
  const fifo = heldFifo();
  const units = useTmpUnits({ 'orphans.service': orphanMaker(ORPHANS, fifo.path) });
  const d = await startInNamespace([units.dir], units.dir);
  expect((await d.cli('start', 'orphans.service')).code).toBe(0);
  // The oneshot finished, so every subshell has exited: all orphans are PID 1's children, alive until released.
  expect(catsUnder(d.pid)).toHaveLength(ORPHANS);
  fifo.release();
  // Every one of them exits now; PID 1 reaps them all: neither a live orphan nor a zombie is left.
  await expect.poll(() => catsUnder(d.pid).length + zombiesUnder(d.pid).length, { timeout: 60_000, interval: 50 }).toBe(0);
  expect((await d.cli('is-active', 'orphans.service')).stdout).toBe('active\n');
  d.signal('SIGTERM');
  expect(await d.exited).toBe(0);
}, 300_000);

test('orphans that die while the service still runs are reaped as they come: zombies never accumulate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-pid1-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  // A long-running service that orphans a batch of 10 short-lived children each time the test writes a line.
  const go = heldFifo();
  const units = useTmpUnits({
    'leaky.service': `[Service]\nExecStart=/bin/sh -c 'exec 4<${go.path}; while read n <&4; do for i in 1 2 3 4 5 6 7 8 9 10; do (exec /bin/true &); done; echo "batch $n"; done'\n`,
  });
  const d = await startInNamespace([units.dir], dir);
  expect((await d.cli('start', 'leaky.service')).code).toBe(0);
  for (let batch = 1; batch <= 20; batch++) {
    writeSync(go.fd, `${batch}\n`);
    await d.waitForLog((l) => l.unit === 'leaky.service' && l.msg === `batch ${batch}`);
    // Each batch is reaped before the next one is made: zombies never pile up.
    await expect.poll(() => zombiesUnder(d.pid).length, { timeout: 30_000, interval: 20 }).toBe(0);
  }
  expect((await d.cli('is-active', 'leaky.service')).stdout).toBe('active\n');
  d.signal('SIGTERM');
  await d.waitForLog((l) => l.msg === 'Stopped leaky.service.');
  expect(await d.exited).toBe(0);
  expect(zombiesUnder(d.unshare.pid!)).toEqual([]);
}, 300_000);

test('not PID 1, `unitvisor init` is a child subreaper: orphans are re-parented to it and reaped', async () => {
  const fifo = heldFifo();
  const units = useTmpUnits({ 'orphans.service': orphanMaker(20, fifo.path) });
  const d = await startDaemon(units.dir);
  expect((await d.cli('start', 'orphans.service')).code).toBe(0);
  const orphans = catsUnder(d.child.pid!);
  expect(orphans).toHaveLength(20);
  fifo.release();
  // Gone entirely: neither running nor a zombie.
  await expect.poll(() => orphans.filter((pid) => readProcStat(pid) !== undefined), { timeout: 30_000 }).toEqual([]);
  expect(await d.stop()).toBe(0);
}, 120_000);
