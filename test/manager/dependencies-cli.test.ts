// The scheduler through the daemon and the real client: list-jobs, --no-block, the errors systemctl
// prints for failed transactions and jobs, and list-dependencies trees, compared with systemd 252.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { openGate } from '../helpers/fifo-gate.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const ONE = '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n';
const bare = (deps: string, service = ONE) => `[Unit]\nDefaultDependencies=no\n${deps}${service}`;

describe('list-jobs and --no-block', () => {
  test('--no-block returns before the job ends; list-jobs prints systemctl\'s table with waiting jobs, then "No jobs running."', async () => {
    const units = useTmpUnits({ 'slow.service': bare('Wants=slow2.service\nAfter=slow2.service\n', '[Service]\nType=oneshot\nExecStart=/bin/true\n') });
    // slow2 runs until the test opens the gate, however long the client takes on a busy machine.
    const gate = join(units.dir, 'gate');
    execFileSync('mkfifo', [gate]);
    units.write('slow2.service', bare('', `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'read line < ${gate}'\n`));
    const d = await startDaemon(units.dir);
    expect(await d.cli('start', 'slow.service', '--no-block')).toEqual({ stdout: '', stderr: '', code: 0 });
    const listed = await d.cli('list-jobs');
    // systemd 252 (oracle), in its hashmap's order:
    //   JOB UNIT          TYPE  STATE
    //   86  slow2.service start running
    //   83  slow.service  start waiting
    //
    //   2 jobs listed.
    // unitvisor adds TIME after systemctl's four columns: how long the running job has run.
    const [head, ...rest] = listed.stdout.split('\n');
    expect(head).toBe('JOB UNIT          TYPE  STATE   TIME');
    expect(rest.slice(0, 2).map((l) => l.replace(/^\d+ +/, '')).sort()).toEqual(['slow.service  start waiting -', expect.stringMatching(/^slow2\.service start running (0|\d+ms|\d+s|\d+min( \d+s)?)$/)]);
    expect(rest.slice(0, 2).every((l) => /^\d+ {2}\S/.test(l))).toBe(true);
    expect(rest.slice(2)).toEqual(['', '2 jobs listed.', '']);
    expect(listed.code).toBe(0);
    const json = JSON.parse((await d.cli('list-jobs', '--json')).stdout) as { unit: string; state: string; running_usec: number }[];
    expect(json.find((j) => j.unit === 'slow.service')).toMatchObject({ state: 'waiting', running_usec: 0 });
    expect(json.find((j) => j.unit === 'slow2.service')?.running_usec).toBeGreaterThan(0);
    await expect.poll(() => openGate(gate), { timeout: 10_000 }).toBe(true);
    await d.waitForLog((l) => l.msg === 'Finished slow.service.' || l.msg === 'slow.service: Deactivated successfully.', 10_000);
    await expect.poll(async () => (await d.cli('list-jobs')).stdout, { timeout: 5000 }).toBe('No jobs running.\n');
  });
});

describe('failed transactions and jobs, as systemctl reports them', () => {
  test('Requisite= on an inactive unit: "A dependency job for X failed.", rc 1', async () => {
    const d = await startDaemon(useTmpUnits({ 'r1.service': bare('Requisite=r2.service\nAfter=r2.service\n'), 'r2.service': bare('', '[Service]\nExecStart=/bin/sleep 1000\n') }).dir);
    const result = await d.cli('start', 'r1.service');
    // systemd 252: "A dependency job for r1.service failed. See 'journalctl -xe' for details."
    expect(result).toEqual({ stdout: '', stderr: "A dependency job for r1.service failed. See 'unitvisor logs' for details.\n", code: 1 });
    expect((await d.cli('show', 'r1.service', '-p', 'ActiveState,Result')).stdout).toBe('Result=success\nActiveState=inactive\n');
  });

  test('an unbreakable ordering cycle: "Failed to start X: Transaction order is cyclic.", rc 1, nothing queued', async () => {
    const d = await startDaemon(useTmpUnits({ 'uxa.service': bare('Requires=uxb.service\nAfter=uxb.service\n'), 'uxb.service': bare('Requires=uxa.service\nAfter=uxa.service\n') }).dir);
    const result = await d.cli('start', 'uxa.service');
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe('Failed to start uxa.service: Transaction order is cyclic. See system logs for details.');
    expect((await d.cli('list-jobs')).stdout).toBe('No jobs running.\n');
    expect(d.logs.filter((l) => l.unit === 'uxa.service').map((l) => l.msg)).toEqual([
      'uxa.service: Found ordering cycle on uxb.service/start',
      'uxa.service: Found dependency on uxa.service/start',
      'uxa.service: Unable to break cycle starting with uxa.service/start',
    ]);
  });

  test('a Requires= on a unit that does not exist: "Failed to start X: Unit Y not found.", rc 5', async () => {
    const d = await startDaemon(useTmpUnits({ 'wa.service': bare('Wants=nosuch.service\nRequires=nosuch2.service\n') }).dir);
    // systemd 252 (oracle), word for word.
    expect(await d.cli('start', 'wa.service')).toEqual({ stdout: '', stderr: 'Failed to start wa.service: Unit nosuch2.service not found.\n', code: 5 });
  });

  test('a failed Assert: "Assertion failed on job for X.", rc 1', async () => {
    const d = await startDaemon(useTmpUnits({ 'assert.service': bare('AssertPathExists=/nonexistent\n') }).dir);
    expect(await d.cli('start', 'assert.service')).toEqual({ stdout: '', stderr: 'Assertion failed on job for assert.service.\n', code: 1 });
  });
});

describe('list-dependencies', () => {
  const tree = () =>
    useTmpUnits({
      'top.service': bare('Wants=w1.service w2.target\nRequires=r.service\nAfter=r.service\nBefore=w1.service\n'),
      'w2.target': '[Unit]\nDefaultDependencies=no\nWants=deep.service\n',
      'deep.service': bare('Wants=deeper.service\n'),
      'deeper.service': bare(''),
      'w1.service': bare(''),
      'r.service': bare('', '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/false\n'),
      'x.service': bare('Requires=top.service\n'),
    });

  // systemd 252 (oracle) after `start w1.service deep.service` and a failed `start top.service`. Its trees
  // also list system.slice (and -.slice under it): unitvisor has no slices (no cgroups), so not here.
  test('the requirement tree: only targets are expanded, non-targets first, each with its state glyph', async () => {
    const d = await startDaemon(tree().dir);
    expect((await d.cli('start', 'w1.service', 'deep.service')).code).toBe(0);
    expect((await d.cli('start', 'top.service')).code).toBe(1);
    expect((await d.cli('list-dependencies', 'top.service')).stdout).toBe(['top.service', '× ├─r.service', '● ├─w1.service', '● └─w2.target', '●   └─deep.service', ''].join('\n'));
    expect((await d.cli('list-dependencies', '--all', 'top.service')).stdout).toBe(
      ['top.service', '× ├─r.service', '● ├─w1.service', '● └─w2.target', '●   └─deep.service', '●     └─deeper.service', ''].join('\n'),
    );
    expect((await d.cli('list-dependencies', '--reverse', 'deeper.service')).stdout).toBe('deeper.service\n● └─deep.service\n');
    // systemd had unloaded x.service (nothing referenced it); loaded, it is listed as requiring top.
    expect((await d.cli('list-dependencies', '--reverse', 'top.service')).stdout).toBe('top.service\n○ └─x.service\n');
  });

  test('--after and --before follow the ordering edges, reverse ones included', async () => {
    const d = await startDaemon(tree().dir);
    expect((await d.cli('list-dependencies', '--after', 'top.service')).stdout).toBe('top.service\n○ └─r.service\n');
    expect((await d.cli('list-dependencies', '--before', 'r.service')).stdout).toBe('r.service\n○ └─top.service\n');
    expect((await d.cli('list-dependencies', '--after', 'w1.service')).stdout).toBe('w1.service\n○ └─top.service\n');
    // DefaultDependencies=no: the target is not ordered after the units it wants.
    expect((await d.cli('list-dependencies', '--after', 'w2.target')).stdout).toBe('w2.target\n');
  });
});
