// systemd 252's job messages at the edges, each sequence as real systemd printed it for the same units
// (test/fixtures/oracle/job-edges.txt): stops of units that are not running, starts of units already
// activating, BindsTo= on a unit that did not come up, restarts of failed units.
import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

/**
 * ExecStartPre= that waits until stopped, saying "pre" once it is sure to (FLAG exists: it ends at once,
 * silent). The test for FLAG comes first, so that a FLAG made after "pre" was seen changes only a later run.
 */
const slowPre = (flag = '/nonexistent') => `/bin/sh -c 'test -e ${flag} || { echo pre; exec sleep 100; }'`;

test('stop in start-pre: no "Stopping", no ExecStop=, signalled at once; the job ends "Stopped", the unit failed with Result=signal', async () => {
  const { sv } = await supervise({ 's.service': `[Service]\nExecStartPre=${slowPre()}\nExecStart=/bin/sleep 100\nExecStop=/bin/echo stopcmd\n` });
  sv.enqueue('start', 's.service');
  await sv.waitForOutput('s.service', 'pre');
  const outcome = await sv.stop('s.service');
  expect(outcome).toMatchObject({ kind: 'finished', result: 'done' });
  expect(messagesOf(sv, 's.service')).toEqual([
    'Starting s.service...',
    's.service: Control process exited, code=killed, status=15/TERM',
    "s.service: Failed with result 'signal'.",
    'Stopped s.service.',
  ]);
  expect(sv.output('s.service')).not.toContain('stopcmd');
  expect(sv.show('s.service')).toMatchObject({ ActiveState: 'failed', SubState: 'failed', Result: 'signal' });
});

test('stop of a oneshot still in start: its main process killed, Result=signal, "Stopped" without "Stopping"', async () => {
  const { sv } = await supervise({ 'o.service': `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo run; exec sleep 100'\nExecStop=/bin/echo stopcmd\n` });
  sv.enqueue('start', 'o.service');
  await sv.waitForOutput('o.service', 'run');
  await sv.stop('o.service');
  expect(messagesOf(sv, 'o.service')).toEqual([
    'Starting o.service...',
    'o.service: Main process exited, code=killed, status=15/TERM',
    "o.service: Failed with result 'signal'.",
    'Stopped o.service.',
  ]);
  expect(sv.output('o.service')).not.toContain('stopcmd');
  expect(sv.show('o.service')).toMatchObject({ ActiveState: 'failed', Result: 'signal' });
});

test('stop of a service that is not running: the job is done and says nothing', async () => {
  const { sv } = await supervise({ 'd.service': `[Service]\nExecStart=/bin/sleep 100\nExecStop=/bin/echo stopcmd\n` });
  expect(await sv.stop('d.service')).toMatchObject({ kind: 'finished', result: 'done' });
  expect(messagesOf(sv, 'd.service')).toEqual([]);
  expect(sv.show('d.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success' });
});

test('restart in start-pre: the stop half signals at once ("Stopped", no "Stopping"), then "Starting" again', async () => {
  const { sv, units } = await supervise({});
  const flag = `${units.dir}/second-run`;
  units.write('r.service', `[Service]\nExecStartPre=${slowPre(flag)}\nExecStartPre=/bin/touch ${flag}\nExecStart=/bin/sleep 100\n`);
  await sv.reload();
  sv.enqueue('start', 'r.service');
  await sv.waitForOutput('r.service', 'pre');
  units.write('second-run', '');
  await sv.restart('r.service');
  expect(messagesOf(sv, 'r.service')).toEqual([
    'Starting r.service...',
    'r.service: Control process exited, code=killed, status=15/TERM',
    "r.service: Failed with result 'signal'.",
    'Stopped r.service.',
    'Starting r.service...',
    'Started r.service.',
  ]);
  expect(sv.show('r.service')).toMatchObject({ ActiveState: 'active', SubState: 'running', Result: 'success' });
});

test('a stop pulled in by a requirement (Requires=, Conflicts=) on a unit in start-pre says only "Stopped"', async () => {
  const { sv } = await supervise({
    'dep.service': `[Service]\nExecStart=/bin/sleep 100\n`,
    'req.service': `[Unit]\nRequires=dep.service\nAfter=dep.service\n[Service]\nExecStartPre=${slowPre()}\nExecStart=/bin/sleep 100\nExecStop=/bin/echo stopcmd\n`,
    'con.service': `[Unit]\nConflicts=req.service\n[Service]\nExecStart=/bin/sleep 100\n`,
  });
  const starting = [
    'Starting req.service...',
    'req.service: Control process exited, code=killed, status=15/TERM',
    "req.service: Failed with result 'signal'.",
    'Stopped req.service.',
  ];
  sv.enqueue('start', 'req.service');
  await sv.waitForOutput('req.service', 'pre');
  await sv.stop('dep.service');
  expect(messagesOf(sv, 'req.service')).toEqual(starting);
  sv.enqueue('start', 'req.service');
  await expect.poll(() => sv.output('req.service'), { timeout: 20_000 }).toEqual(['pre', 'pre']);
  await sv.start('con.service'); // (not ordered against req.service: its stop may end later)
  await sv.waitFor('req.service', 'failed');
  expect(messagesOf(sv, 'req.service')).toEqual([...starting, ...starting]);
  expect(sv.output('req.service')).not.toContain('stopcmd');
});

test('start of a unit already activating with no job of its own: no second "Starting", conditions not tested again', async () => {
  const { sv, units } = await supervise({});
  const flag = `${units.dir}/condition`;
  units.write('condition', '');
  units.write('bad.service', `[Service]\nType=oneshot\nExecStart=/bin/false\n`);
  units.write('act.service', `[Unit]\nRequires=bad.service\nConditionPathExists=${flag}\n[Service]\nExecStartPre=${slowPre()}\nExecStart=/bin/sleep 100\n`);
  await sv.reload();
  const dependency = ['Dependency failed for act.service.', "act.service: Job act.service/start failed with result 'dependency'."];
  expect(await sv.enqueue('start', 'act.service').finished).toMatchObject({ result: 'dependency' });
  await sv.waitForOutput('act.service', 'pre');
  expect(sv.listJobs()).toEqual([]);
  expect(messagesOf(sv, 'act.service')).toEqual(['Starting act.service...', ...dependency]);
  rmSync(flag);
  expect(await sv.enqueue('start', 'act.service').finished).toMatchObject({ result: 'dependency' });
  expect(messagesOf(sv, 'act.service')).toEqual(['Starting act.service...', ...dependency, ...dependency]);
  expect(sv.show('act.service')).toMatchObject({ ActiveState: 'activating', SubState: 'start-pre', Result: 'success', ConditionResult: 'yes' });
});

test('BindsTo= + After= on a unit its start left inactive: "Bound to unit X, but unit isn\'t active." and result dependency', async () => {
  const { sv } = await supervise({
    'cond.service': `[Unit]\nConditionPathExists=/nonexistent\n[Service]\nExecStart=/bin/sleep 100\n`,
    'bound.service': `[Unit]\nBindsTo=cond.service\nAfter=cond.service\n[Service]\nExecStart=/bin/sleep 100\n`,
  });
  expect(await sv.enqueue('start', 'bound.service').finished).toMatchObject({ kind: 'finished', result: 'dependency' });
  expect(messagesOf(sv, 'cond.service')).toEqual(['cond.service was skipped because of an unmet condition check (ConditionPathExists=/nonexistent).']);
  expect(messagesOf(sv, 'bound.service')).toEqual([
    "bound.service: Bound to unit cond.service, but unit isn't active.",
    'Dependency failed for bound.service.',
    "bound.service: Job bound.service/start failed with result 'dependency'.",
  ]);
  expect(sv.show('bound.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success' });
});

test('BindsTo= without After= does not hold the start back', async () => {
  const { sv } = await supervise({
    'cond.service': `[Unit]\nConditionPathExists=/nonexistent\n[Service]\nExecStart=/bin/sleep 100\n`,
    'loose.service': `[Unit]\nBindsTo=cond.service\n[Service]\nExecStart=/bin/sleep 100\n`,
  });
  await sv.start('loose.service');
  expect(messagesOf(sv, 'loose.service')).toEqual(['Started loose.service.']);
});

test('restart of a failed unit: no stop half to announce, only "Started" again; NRestarts stays 0', async () => {
  const { sv } = await supervise({ 'f.service': `[Service]\nExecStart=/bin/sh -c 'echo run; exit 1'\n` });
  await sv.start('f.service');
  await sv.waitFor('f.service', 'failed');
  await sv.restart('f.service');
  await sv.waitFor('f.service', 'failed');
  const run = ['Started f.service.', 'f.service: Main process exited, code=exited, status=1/FAILURE', "f.service: Failed with result 'exit-code'."];
  expect(messagesOf(sv, 'f.service')).toEqual([...run, ...run]);
  expect(sv.show('f.service')).toMatchObject({ ActiveState: 'failed', Result: 'exit-code', NRestarts: '0' });
});
