// The remaining client verbs against a real daemon: kill, logs, daemon-reload, restart, show of several
// units, list-units filters.
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { puppet, useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

describe('client verbs', () => {
  test('kill sends a signal to the main process; the unit ends as systemd classifies it', async () => {
    const units = useTmpUnits({ 'victim.service': '[Service]\nExecStart=/bin/sleep 60\n' });
    const d = await startDaemon(units.dir);
    await d.cli('start', 'victim.service');
    expect(await d.cli('kill', '-s', 'SIGKILL', 'victim.service')).toEqual({ stdout: '', stderr: '', code: 0 });
    await d.waitForLog((l) => l.msg === "victim.service: Failed with result 'signal'.");
    expect(d.logs.filter((l) => l.unit === 'victim.service').map((l) => l.msg)).toEqual([
      'Started victim.service.',
      'victim.service: Main process exited, code=killed, status=9/KILL',
      "victim.service: Failed with result 'signal'.",
    ]);
    expect((await d.cli('show', 'victim.service', '-p', 'Result,ExecMainCode,ExecMainStatus')).stdout).toBe('Result=signal\nExecMainCode=2\nExecMainStatus=9\n');
    expect((await d.cli('kill', 'nosuch.service')).code).not.toBe(0);
  });

  test('logs prints the journal of a unit, -n limits it, --json gives the entries', async () => {
    const units = useTmpUnits({ 'talk.service': `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'for i in 1 2 3 4 5; do echo line $i; done'\n` });
    const d = await startDaemon(units.dir);
    await d.cli('start', 'talk.service');
    const all = await d.cli('logs', '-u', 'talk.service');
    expect(all.code).toBe(0);
    expect(all.stdout.trimEnd().split('\n').map((l) => l.replace(/^\w{3} \d{2} [\d:]{8} \S+ /, ''))).toEqual([
      expect.stringMatching(/^unitvisor\[\d+\]: Starting talk\.service\.\.\.$/),
      ...[1, 2, 3, 4, 5].map((i) => expect.stringMatching(new RegExp(`^sh\\[\\d+\\]: line ${i}$`))),
      expect.stringMatching(/^unitvisor\[\d+\]: talk\.service: Deactivated successfully\.$/),
      expect.stringMatching(/^unitvisor\[\d+\]: Finished talk\.service\.$/),
    ]);
    const last2 = await d.cli('logs', '-u', 'talk.service', '-n', '2', '--json');
    const entries = last2.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; msg?: string });
    expect(entries.map((e) => e.msg)).toEqual(['talk.service: Deactivated successfully.', 'Finished talk.service.']);
  });

  test('restart stops then starts; daemon-reload picks up an edited unit for its next start', async () => {
    const units = useTmpUnits({ 'svc.service': `[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=${puppet('exit-with', 0, '--say', 'first')}\n` });
    const d = await startDaemon(units.dir);
    await d.cli('start', 'svc.service');
    units.write('svc.service', `[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=${puppet('exit-with', 0, '--say', 'second')}\n`);
    expect((await d.cli('daemon-reload')).code).toBe(0);
    expect((await d.cli('restart', 'svc.service')).code).toBe(0);
    await d.waitForLog((l) => l.msg === 'second');
    await d.waitForLog((l) => l.msg === 'Finished svc.service.' && d.logs.indexOf(l) > d.logs.findIndex((x) => x.msg === 'second'));
    const msgs = d.logs.filter((l) => l.unit === 'svc.service').map((l) => l.msg);
    expect(msgs).toEqual([
      'Starting svc.service...',
      'first',
      'Finished svc.service.',
      // systemd 252 prints "Stopping" after "Stopped" when the stop half completes at once (oracle: restart-messages.txt).
      'svc.service: Deactivated successfully.',
      'Stopped svc.service.',
      'Stopping svc.service...',
      'Starting svc.service...',
      'second',
      'Finished svc.service.',
    ]);
  });

  test('show prints one block per unit in argument order; list-units --all and --failed filter', async () => {
    const units = useTmpUnits({
      'a.service': '[Service]\nExecStart=/bin/sleep 60\n',
      'b.service': '[Service]\nType=oneshot\nExecStart=/bin/false\n',
    });
    const d = await startDaemon(units.dir);
    await d.cli('start', 'a.service');
    await d.cli('start', 'b.service');
    expect((await d.cli('show', 'b.service', 'a.service', '-p', 'Id,ActiveState')).stdout).toBe('Id=b.service\nActiveState=failed\n\nId=a.service\nActiveState=active\n');
    const failed = await d.cli('list-units', '--failed');
    expect(failed.stdout).toMatch(/^ {2}UNIT +LOAD +ACTIVE +SUB +DESCRIPTION\n● b\.service +loaded failed failed b\.service\n/);
    expect(failed.stdout).toContain('1 loaded units listed.');
    const all = await d.cli('list-units', '--all', '*.service');
    const listed = all.stdout.split('\n').filter((l) => / \S+\.service /.test(l)).map((l) => l.slice(2).split(' ')[0]);
    expect(listed).toEqual(expect.arrayContaining(['a.service', 'b.service']));
    expect(all.stdout).not.toMatch(/\.target /);
    await d.cli('stop', 'a.service');
  });
});
