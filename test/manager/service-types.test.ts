// Every Type= with real processes: when the start job completes, what the unit reports, and how it ends
// (systemd.service(5) Type=; messages and properties checked against systemd 252 through the oracle).
import { afterEach, describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { puppet } from '../helpers/use-tmp-units.js';
import { FakeClock } from '../../src/api/index.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

describe('Type=simple and Type=exec', () => {
  test('simple: the start completes at once and the unit runs with its main PID', async () => {
    const { sv } = await supervise({ 's.service': '[Service]\nExecStart=/bin/sleep 30\n' });
    await sv.start('s.service');
    const show = sv.show('s.service');
    expect(show).toMatchObject({ Type: 'simple', ActiveState: 'active', SubState: 'running', Result: 'success' });
    expect(Number(show['MainPID'])).toBeGreaterThan(0);
    expect(Number(show['ExecMainPID'])).toBe(Number(show['MainPID']));
  });

  test('exec: the start completes only once the binary was executed', async () => {
    const { sv } = await supervise({ 'e.service': '[Service]\nType=exec\nExecStart=/bin/sleep 30\n' });
    await sv.start('e.service');
    const pid = Number(sv.show('e.service')['MainPID']);
    // The job is done only after execve(): the main process is sleep, not the exec helper any more.
    expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('sleep');
    expect(messagesOf(sv, 'e.service')).toEqual(['Starting e.service...', 'Started e.service.']);
  });

  test('exec: a missing binary fails the start with 203/EXEC, as systemd 252 logs it', async () => {
    const { sv } = await supervise({ 'm.service': '[Service]\nType=exec\nExecStart=/nonexistent/bin arg\n' });
    const outcome = await tryStart(sv, 'm.service');
    expect(outcome).toMatchObject({ kind: 'finished', result: 'failed', serviceResult: 'exit-code' });
    expect(sv.show('m.service')).toMatchObject({ ActiveState: 'failed', SubState: 'failed', Result: 'exit-code', ExecMainCode: '1', ExecMainStatus: '203', MainPID: '0' });
    expect(messagesOf(sv, 'm.service')).toEqual([
      'Starting m.service...',
      'm.service: Failed to locate executable /nonexistent/bin: No such file or directory',
      'm.service: Failed at step EXEC spawning /nonexistent/bin: No such file or directory',
      'm.service: Main process exited, code=exited, status=203/EXEC',
      "m.service: Failed with result 'exit-code'.",
      'Failed to start m.service.',
    ]);
  });

  test('simple: a missing binary is "Started", then fails with 203/EXEC', async () => {
    const { sv } = await supervise({ 'm.service': '[Service]\nExecStart=/nonexistent/bin arg\n' });
    await tryStart(sv, 'm.service');
    await sv.waitFor('m.service', 'failed', { timeout: 5000 });
    expect(sv.show('m.service')).toMatchObject({ Result: 'exit-code', ExecMainCode: '1', ExecMainStatus: '203' });
    expect(messagesOf(sv, 'm.service')).toEqual([
      'Started m.service.',
      'm.service: Failed to locate executable /nonexistent/bin: No such file or directory',
      'm.service: Failed at step EXEC spawning /nonexistent/bin: No such file or directory',
      'm.service: Main process exited, code=exited, status=203/EXEC',
      "m.service: Failed with result 'exit-code'.",
    ]);
  });
});

describe('Type=oneshot', () => {
  test('several ExecStart= run in sequence, and the start completes after the last', async () => {
    const { sv, units } = await supervise({});
    const record = join(units.dir, 'record');
    units.write('o.service', `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'sleep 0.2; echo one >> ${record}'\nExecStart=/bin/sh -c 'echo two >> ${record}'\nExecStart=/bin/sh -c 'echo three >> ${record}'\n`);
    await sv.start('o.service');
    expect(readFileSync(record, 'utf8')).toBe('one\ntwo\nthree\n');
    expect(sv.show('o.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success', ExecMainStatus: '0', ExecMainCode: '1', MainPID: '0' });
    expect(messagesOf(sv, 'o.service')).toEqual(['Starting o.service...', 'o.service: Deactivated successfully.', 'Finished o.service.']);
  });

  test('a failing command stops the sequence', async () => {
    const { sv, units } = await supervise({});
    const record = join(units.dir, 'record');
    units.write('o.service', `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'exit 2'\nExecStart=/bin/sh -c 'echo ran > ${record}'\n`);
    expect(await tryStart(sv, 'o.service')).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
    expect(existsSync(record)).toBe(false);
    expect(sv.show('o.service')).toMatchObject({ ActiveState: 'failed', Result: 'exit-code', ExecMainStatus: '2' });
  });

  test('RemainAfterExit=yes stays active (exited) until stopped', async () => {
    const { sv } = await supervise({ 'r.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\nExecStart=/bin/true\n' });
    await sv.start('r.service');
    expect(sv.show('r.service')).toMatchObject({ ActiveState: 'active', SubState: 'exited', RemainAfterExit: 'yes', MainPID: '0' });
    await sv.stop('r.service');
    expect(sv.show('r.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success' });
  });
});

describe('Type=forking', () => {
  test('the parent exit completes the start; the main PID comes from PIDFile=', async () => {
    const { sv, units } = await supervise({});
    const pidfile = join(units.dir, 'd.pid');
    units.write('d.service', `[Service]\nType=forking\nPIDFile=${pidfile}\nExecStart=${puppet('double-fork', '--pidfile', pidfile)}\n`);
    await sv.start('d.service');
    const main = Number(sv.show('d.service')['MainPID']);
    expect(main).toBe(Number(readFileSync(pidfile, 'utf8')));
    expect(sv.show('d.service')).toMatchObject({ ActiveState: 'active', SubState: 'running' });
    await sv.stop('d.service');
    expect(sv.show('d.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success', MainPID: '0' });
  });

  test('without PIDFile= the main PID is guessed, and the real daemon\'s exit is noticed with its status', async () => {
    const { sv } = await supervise({ 'g.service': `[Service]\nType=forking\nExecStart=${puppet('double-fork', '--exit-daemon-after', 400, '--exit-status', 5)}\n` });
    await sv.start('g.service');
    const main = Number(sv.show('g.service')['MainPID']);
    expect(main).toBeGreaterThan(0);
    expect(readFileSync(`/proc/${main}/cmdline`, 'utf8')).toContain('daemon');
    await sv.waitFor('g.service', 'failed', { timeout: 5000 });
    expect(sv.show('g.service')).toMatchObject({ Result: 'exit-code', ExecMainStatus: '5', ExecMainCode: '1', ExecMainPID: String(main), MainPID: '0' });
    // The supervisor is the subreaper: the orphaned daemon is its child, so no "Supervising process ... not our child".
    expect(messagesOf(sv, 'g.service')).toEqual([
      'Starting g.service...',
      'Started g.service.',
      'g.service: Main process exited, code=exited, status=5/NOTINSTALLED',
      "g.service: Failed with result 'exit-code'.",
    ]);
  });
});

describe('Type=idle and Type=dbus', () => {
  test('idle: the command runs only once the job queue is empty', async () => {
    const { sv, units } = await supervise({});
    const record = join(units.dir, 'record');
    units.write('slow.service', `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'sleep 0.5; echo slow-done >> ${record}'\n`);
    units.write('i.service', `[Service]\nType=idle\nExecStart=/bin/sh -c 'echo idle-runs >> ${record}; exec sleep 30'\n`);
    await sv.reload();
    const slow = sv.enqueue('start', 'slow.service').finished;
    await sv.start('i.service');
    await slow;
    await expect.poll(() => (existsSync(record) ? readFileSync(record, 'utf8') : '')).toBe('slow-done\nidle-runs\n');
  });

  test('idle: with nothing else queued the command runs at once, not after the 5 s upper bound', async () => {
    // Time stands still: only an idle queue can let the command run.
    const { sv } = await supervise({ 'alone.service': '[Service]\nType=idle\nExecStart=/bin/sleep 30\n' }, { clock: new FakeClock() });
    await sv.start('alone.service');
    await expect.poll(() => Number(sv.show('alone.service')['MainPID'])).toBeGreaterThan(0);
  });

  test('dbus: refused at load as unsupported, and a start is refused with systemctl\'s words', async () => {
    const { sv } = await supervise({ 'd.service': '[Service]\nType=dbus\nBusName=org.example.Foo\nExecStart=/bin/sleep 30\n', 'ok.service': '[Service]\nExecStart=/bin/sleep 30\n' });
    expect(sv.diagnostics).toContain("d.service: Setting 'Type=dbus' is not supported by unitvisor (needs D-Bus). Refusing.");
    expect(sv.show('d.service')).toMatchObject({ LoadState: 'bad-setting', ActiveState: 'inactive' });
    expect(sv.enqueue('start', 'd.service').queued).toMatchObject({ kind: 'refused', message: 'Unit d.service has a bad unit file setting.' });
    await sv.start('ok.service');
  });
});
