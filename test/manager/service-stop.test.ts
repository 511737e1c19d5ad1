// Stopping with real processes: KillMode= control-group/mixed/process/none, KillSignal=, RestartKillSignal=,
// SendSIGHUP=, SendSIGKILL=, TimeoutStopSec= escalation (systemd.kill(5); journal lines as systemd 252 logs them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { puppet } from '../helpers/use-tmp-units.js';
import type { Supervisor } from '../../src/api/index.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';

afterEach(async () => {

  await shutdownSupervisors();

  await expectNoLeakedProcesses();

});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

/** A shell that survives SIGTERM (and reports each signal it gets) until SIGKILL. */
const stubborn = (traps: string) => `/bin/sh -c '${traps} echo ready; while :; do sleep 0.1; done'`;

/** Started, with its traps in place (a signal before that would simply kill the shell). */
async function startReady(sv: Supervisor, unit: string): Promise<void> {
  await sv.start(unit);
  await expect.poll(() => sv.output(unit)).toContain('ready');
}

test('KillMode=control-group: stop leaves none of a tree of grandchildren (new sessions, double forks)', async () => {
  const { sv, units } = await supervise({});
  const record = join(units.dir, 'pids');
  units.write('tree.service', `[Service]\nExecStart=${puppet('spawn-tree', record)}\n`);
  await sv.reload();
  await sv.start('tree.service');
  await expect.poll(() => sv.output('tree.service').some((l) => l.startsWith('ready '))).toBe(true);
  const pids = readFileSync(record, 'utf8').split('\n').filter(Boolean).map(Number);
  expect(pids).toHaveLength(6);
  expect(sv.status('tree.service')!.processes.map((p) => p.pid).sort()).toEqual([...pids].sort());
  await sv.stop('tree.service');
  expect(pids.filter(alive)).toEqual([]);
  expect(sv.show('tree.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success' });
});

test('TimeoutStopSec=: SIGTERM ignored → "State \'stop-sigterm\' timed out. Killing." and SIGKILL to every process', async () => {
  const { sv } = await supervise({ 's.service': `[Service]\nExecStart=${stubborn('trap "echo got TERM" TERM;')}\nTimeoutStopSec=300ms\n` });
  await startReady(sv, 's.service');
  const pid = sv.status('s.service')!.mainPid;
  const began = Date.now();
  await sv.stop('s.service');
  expect(Date.now() - began).toBeGreaterThanOrEqual(290);
  expect(sv.show('s.service')).toMatchObject({ ActiveState: 'failed', Result: 'timeout' });
  const messages = messagesOf(sv, 's.service');
  expect(messages.slice(0, 3)).toEqual(['Started s.service.', 'Stopping s.service...', "s.service: State 'stop-sigterm' timed out. Killing."]);
  expect(messages[3]).toBe(`s.service: Killing process ${pid} (sh) with signal SIGKILL.`);
  expect(messages.slice(-3)).toEqual(['s.service: Main process exited, code=killed, status=9/KILL', "s.service: Failed with result 'timeout'.", 'Stopped s.service.']);
  await expect.poll(() => sv.output('s.service')).toContain('got TERM');
});

test('SendSIGHUP=yes follows SIGTERM with SIGHUP', async () => {
  const { sv } = await supervise({ 'h.service': `[Service]\nExecStart=${stubborn('trap "echo got TERM" TERM; trap "echo got HUP" HUP;')}\nTimeoutStopSec=300ms\nSendSIGHUP=yes\n` });
  await startReady(sv, 'h.service');
  await sv.stop('h.service');
  await expect.poll(() => sv.output('h.service')).toEqual(expect.arrayContaining(['got TERM', 'got HUP']));
  expect(sv.show('h.service')).toMatchObject({ Result: 'timeout', SendSIGHUP: 'yes' });
});

test('SendSIGKILL=no: both SIGTERM rounds time out and the process is left running', async () => {
  const { sv } = await supervise({ 'n.service': `[Service]\nExecStart=${stubborn('trap "echo got TERM" TERM;')}\nTimeoutStopSec=200ms\nSendSIGKILL=no\n` });
  await startReady(sv, 'n.service');
  const pid = sv.status('n.service')!.mainPid;
  await sv.stop('n.service');
  expect(sv.show('n.service')).toMatchObject({ ActiveState: 'failed', Result: 'timeout' });
  expect(messagesOf(sv, 'n.service')).toEqual(expect.arrayContaining([
    "n.service: State 'stop-sigterm' timed out. Skipping SIGKILL.",
    "n.service: State 'final-sigterm' timed out. Skipping SIGKILL. Entering failed mode.",
    "n.service: Failed with result 'timeout'.",
  ]));
  await expect.poll(() => sv.output('n.service').filter((l) => l === 'got TERM')).toHaveLength(2);
  expect(alive(pid)).toBe(true);
  sv.kill('n.service', 9);
  process.kill(pid, 'SIGKILL');
});

test('KillMode=mixed: SIGTERM to the main process only, then SIGKILL to the rest', async () => {
  const { sv } = await supervise({ 'm.service': `[Service]\nExecStart=/bin/sh -c 'sleep 100 & sleep 101 & trap "exit 0" TERM; wait'\nKillMode=mixed\n` });
  await sv.start('m.service');
  await expect.poll(() => sv.status('m.service')!.processes.length).toBe(3);
  const sleeps = sv.status('m.service')!.processes.map((p) => p.pid).filter((p) => p !== sv.status('m.service')!.mainPid);
  await sv.stop('m.service');
  expect(sv.show('m.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success' });
  expect(messagesOf(sv, 'm.service')).toEqual([
    'Started m.service.',
    'Stopping m.service...',
    ...sleeps.map((p) => `m.service: Killing process ${p} (sleep) with signal SIGKILL.`),
    'm.service: Deactivated successfully.',
    'Stopped m.service.',
  ]);
  expect(sleeps.filter(alive)).toEqual([]);
});

test('KillMode=process: only the main process is signalled; the rest stays', async () => {
  const { sv } = await supervise({ 'p.service': "[Service]\nExecStart=/bin/sh -c 'sleep 102 & exec sleep 103'\nKillMode=process\n" });
  await sv.start('p.service');
  await expect.poll(() => sv.status('p.service')!.processes.length).toBe(2);
  const main = sv.status('p.service')!.mainPid;
  const other = sv.status('p.service')!.processes.map((p) => p.pid).find((p) => p !== main)!;
  await sv.stop('p.service');
  expect(sv.show('p.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success' });
  expect(alive(main)).toBe(false);
  expect(alive(other)).toBe(true);
  process.kill(other, 'SIGKILL');
});

test('KillSignal= stops, RestartKillSignal= restarts', async () => {
  // A foreground sleep: background jobs of a non-interactive shell ignore SIGINT.
  const traps = 'trap "echo got INT; exit 0" INT; trap "echo got USR2; exit 0" USR2; echo ready; while :; do sleep 0.1; done';
  const { sv } = await supervise({ 'k.service': `[Service]\nExecStart=/bin/sh -c '${traps}'\nKillSignal=SIGINT\nRestartKillSignal=SIGUSR2\n` });
  await startReady(sv, 'k.service');
  await sv.restart('k.service');
  await expect.poll(() => sv.output('k.service').filter((l) => l === 'ready')).toHaveLength(2);
  const got = () => sv.output('k.service').filter((l) => l.startsWith('got '));
  // The line may be read after the exit was seen.
  await expect.poll(got).toEqual(['got USR2']);
  expect(sv.show('k.service')).toMatchObject({ KillSignal: '2', RestartKillSignal: '12', ActiveState: 'active' });
  await sv.stop('k.service');
  await expect.poll(got).toEqual(['got USR2', 'got INT']);
  expect(sv.show('k.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success' });
});
