// See inside a running daemon: is-system-running, why, analyze, start --dry-run and the JSON outputs,
// driven with the real client against `unitvisor init` and compared with what systemctl 252 prints.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

const hasDot = spawnSync('dot', ['-V']).status === 0;
if (!hasDot) console.log('observe: graphviz (dot) is not installed; the dot rendering check is skipped (apt-get install graphviz)');

/** db (oneshot) ← app, wanted by multi-user.target; bad fails; top → dep → bad. */
const CHAIN = {
  'db.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sleep 0.2\n',
  'app.service': '[Unit]\nDescription=App\nRequires=db.service\nAfter=db.service\n[Service]\nExecStart=/bin/sleep 60\n',
  'bad.service': "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo first; echo oops >&2; exit 3'\n",
  'dep.service': '[Unit]\nRequires=bad.service\nAfter=bad.service\n[Service]\nExecStart=/bin/sleep 60\n',
  'top.service': '[Unit]\nRequires=dep.service\nAfter=dep.service\n[Service]\nExecStart=/bin/sleep 60\n',
};

/** A unit directory with `wanted` linked into multi-user.target.wants/, as `enable` makes it. */
function unitsWith(files: Record<string, string>, wanted: string) {
  const units = useTmpUnits(files);
  mkdirSync(join(units.dir, 'multi-user.target.wants'));
  symlinkSync(`../${wanted}`, join(units.dir, 'multi-user.target.wants', wanted));
  return units;
}
const chainUnits = () => unitsWith(CHAIN, 'app.service');

describe('is-system-running', () => {
  test('starting until the first jobs are done, then running, degraded once a unit failed; offline without a daemon, as systemctl', async () => {
    const units = unitsWith({ 'gate.service': '' }, 'gate.service');
    const gate = join(units.dir, 'open');
    units.write('gate.service', `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'while [ ! -e ${gate} ]; do sleep 0.05; done'\n`);
    units.write('fail.service', '[Service]\nType=oneshot\nExecStart=/bin/false\n');
    const d = await startDaemon(units.dir);
    await d.waitForLog((l) => l.msg === 'Starting gate.service...');
    expect(await d.cli('is-system-running')).toEqual({ stdout: 'starting\n', stderr: '', code: 1 });
    writeFileSync(gate, '');
    await d.waitForLog((l) => l.msg.startsWith('Reached target multi-user.target'));
    await expect.poll(async () => (await d.cli('is-system-running')).stdout).toBe('running\n');
    expect((await d.cli('is-system-running')).code).toBe(0);
    expect((await d.cli('is-system-running', '-q')).stdout).toBe('');
    await d.cli('start', 'fail.service');
    expect(await d.cli('is-system-running')).toEqual({ stdout: 'degraded\n', stderr: '', code: 1 });
    await d.stop();
    const offline = await d.cli('is-system-running');
    expect(offline).toEqual({ stdout: 'offline\n', stderr: '', code: 1 });
    // This host runs no systemd: the real systemctl answers the same.
    const real = spawnSync('systemctl', ['is-system-running'], { encoding: 'utf8' });
    if (real.status !== null && real.stdout === 'offline\n') expect({ stdout: real.stdout, code: real.status }).toEqual({ stdout: offline.stdout, code: offline.code });
  });
});

describe('why', () => {
  test('follows the failed requirement to the root cause, in systemd’s words, with its last output; exit 3', async () => {
    const units = chainUnits();
    const d = await startDaemon(units.dir);
    expect((await d.cli('start', 'top.service')).code).toBe(1);
    const why = await d.cli('why', 'top.service');
    expect(why.code).toBe(3);
    const lines = why.stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'top.service',
      '  Loaded: loaded',
      '  Active: inactive (dead)',
      expect.stringMatching(/^ {2}Job \d+ top\.service\/start finished, result=dependency$/),
      '  Dependency failed for top.service.',
      "  top.service: Job top.service/start failed with result 'dependency'.",
      '  Requires=dep.service, whose start did not succeed:',
    ]);
    expect(why.stdout).toContain('      Requires=bad.service, whose start did not succeed:\n        bad.service\n');
    expect(why.stdout).toContain('          Active: failed (Result: exit-code)\n');
    expect(why.stdout).toContain('          bad.service: Main process exited, code=exited, status=3/NOTIMPLEMENTED\n');
    expect(why.stdout).toContain("          bad.service: Failed with result 'exit-code'.\n");
    expect(why.stdout).toMatch(/\nLast output of bad\.service:\n {2}\w{3} \d\d [\d:]{8} \S+ sh\[\d+\]: first\n {2}\w{3} \d\d [\d:]{8} \S+ sh\[\d+\]: oops\n$/);
    const active = await d.cli('why', 'app.service');
    expect(active.code).toBe(0);
    expect(active.stdout).toContain('  Active: active (running)\n');
    expect((await d.cli('why', 'nosuch.service')).stdout).toBe('Unit nosuch.service could not be found.\n');
  });

  test('a condition that did not hold, and a conflicting unit that stopped it', async () => {
    const units = useTmpUnits({
      'cond.service': '[Unit]\nConditionPathExists=/nonexistent/x\n[Service]\nExecStart=/bin/sleep 60\n',
      'old.service': '[Service]\nExecStart=/bin/sleep 60\n',
      'new.service': '[Unit]\nConflicts=old.service\n[Service]\nExecStart=/bin/sleep 60\n',
    });
    const d = await startDaemon(units.dir);
    await d.cli('start', 'cond.service');
    const cond = await d.cli('why', 'cond.service');
    expect(cond.stdout).toContain('  ConditionResult=no\n');
    expect(cond.stdout).toContain('  cond.service was skipped because of an unmet condition check (ConditionPathExists=/nonexistent/x).\n');
    await d.cli('start', 'old.service');
    await d.cli('start', 'new.service');
    const old = await d.cli('why', 'old.service');
    expect(old.code).toBe(3);
    expect(old.stdout).toContain('  Stopped because new.service was started: new.service and old.service conflict (Conflicts=).\n');
  });
});

describe('analyze', () => {
  test('blame, critical-chain, dot and plot from the timestamps the manager kept', async () => {
    const units = chainUnits();
    const d = await startDaemon(units.dir);
    await d.waitForLog((l) => l.msg.startsWith('Reached target multi-user.target'));
    await expect.poll(async () => (await d.cli('is-system-running')).stdout).toBe('running\n');
    const blame = await d.cli('analyze', 'blame');
    expect(blame.code).toBe(0);
    const rows = blame.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^ *\d+ms db\.service$/);
    // A simple service's start may take under a millisecond: blame, like systemd-analyze's, leaves out a zero time.
    for (const name of rows.map((r) => r.trim().split(' ').at(-1))) expect(Object.keys(CHAIN)).toContain(name);
    const widths = new Set(rows.map((r) => r.indexOf(' ', r.search(/\S/))));
    expect(widths.size, 'times are right-aligned in one column').toBe(1);

    const chain = await d.cli('analyze', 'critical-chain');
    expect(chain.stdout.split('\n').slice(0, 5)).toEqual([
      'The time when unit became active or started is printed after the "@" character.',
      'The time the unit took to start is printed after the "+" character.',
      '',
      expect.stringMatching(/^multi-user\.target @\d+ms$/),
      // A zero start time has no "+" part, as in systemd-analyze.
      expect.stringMatching(/^└─app\.service @\d+ms( \+\d+ms)?$/),
    ]);
    expect(chain.stdout).toMatch(/\n {2}└─db\.service @\d+ms \+\d+ms\n/);
    // With a zero start time, the unit's own line shows when it became active instead, as in systemd-analyze.
    expect((await d.cli('analyze', 'critical-chain', 'app.service')).stdout.split('\n')[3]).toMatch(/^app\.service( \+\d+ms| @\d+ms)$/);

    const dot = await d.cli('analyze', 'dot', 'app.service');
    expect(dot.stderr).toContain('   Color legend: black     = Requires\n                 dark blue = Requisite\n');
    expect(dot.stdout).toContain('\t"app.service"->"db.service" [color="green"];\n\t');
    expect(dot.stdout).toContain('\t"app.service"->"db.service" [color="black"];\n');
    expect(dot.stdout).toContain('\t"multi-user.target"->"app.service" [color="grey66"];\n');
    if (hasDot) expect(execFileSync('dot', ['-Tsvg'], { input: dot.stdout }).toString()).toContain('db.service');

    const plot = await d.cli('analyze', 'plot');
    expect(plot.stdout).toMatch(/^<\?xml/);
    expect(plot.stdout).toMatch(/>db\.service \(\d+ms\)<\/text>/);
    expect(plot.stdout).toContain('Startup finished in ');

    const verify = await d.cli('analyze', 'verify', '--unit-path', units.dir, 'app.service');
    expect(verify.code).toBe(0);
  });

  test('critical-chain while starting says what systemd-analyze says', async () => {
    const units = unitsWith({ 'slow.service': '[Service]\nType=oneshot\nExecStart=/bin/sleep 60\n' }, 'slow.service');
    const d = await startDaemon(units.dir);
    await d.waitForLog((l) => l.msg === 'Starting slow.service...');
    expect(await d.cli('analyze', 'critical-chain')).toEqual({
      stdout: '',
      stderr: "Bootup is not yet finished (org.freedesktop.systemd1.Manager.FinishTimestampMonotonic=0).\nPlease try again later.\nHint: Use 'systemctl list-jobs' to see active jobs\n",
      code: 1,
    });
  });
});

describe('start --dry-run', () => {
  test('prints the jobs in the order they would run and what would be stopped; changes nothing', async () => {
    const units = chainUnits();
    units.write('other.service', '[Unit]\nConflicts=top.service\n[Service]\nExecStart=/bin/sleep 60\n');
    const d = await startDaemon(units.dir);
    await d.waitForLog((l) => l.msg.startsWith('Reached target multi-user.target'));
    const before = d.logs.length;
    const res = await d.cli('start', '--dry-run', 'top.service');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n').map((l) => l.trimEnd())).toEqual([
      'ORDER UNIT        TYPE  AFTER',
      '1     bad.service start',
      '2     dep.service start bad.service',
      '3     top.service start dep.service',
      '',
      '3 jobs would be queued for start top.service; nothing was changed.',
      '',
    ]);
    await d.cli('start', 'other.service');
    expect((await d.cli('start', '--dry-run', 'top.service')).stdout).toContain('\nWould stop other.service.\n');
    expect((await d.cli('is-active', 'top.service', 'bad.service')).stdout).toBe('inactive\ninactive\n');
    expect(d.logs.slice(before).map((l) => l.msg)).toEqual(['Started other.service.']);
    const json = JSON.parse((await d.cli('stop', '--dry-run', 'db.service', '-o', 'json')).stdout) as { unit: string; jobs: { unit: string; type: string; order: number }[] }[];
    expect(json[0]?.jobs.map((j) => `${j.order} ${j.unit}/${j.type}`)).toEqual(['1 app.service/stop', '2 db.service/stop']);
    expect((await d.cli('start', '--dry-run', 'nosuch.service')).code).toBe(1);
  });
});

describe('JSON output', () => {
  test('list-units -o json and --json=pretty in systemctl 252’s shape and layout', async () => {
    const units = chainUnits();
    const d = await startDaemon(units.dir);
    await d.waitForLog((l) => l.msg.startsWith('Started app.service'));
    // systemctl 252: [{"unit":"web.service","load":"loaded","active":"active","sub":"running","description":"Web server"}]
    expect((await d.cli('list-units', '-o', 'json', 'app.service')).stdout).toBe('[{"unit":"app.service","load":"loaded","active":"active","sub":"running","description":"App"}]\n');
    expect((await d.cli('list-units', '--json=pretty', 'app.service')).stdout).toBe(
      '[\n\t{\n\t\t"unit" : "app.service",\n\t\t"load" : "loaded",\n\t\t"active" : "active",\n\t\t"sub" : "running",\n\t\t"description" : "App"\n\t}\n]\n',
    );
    expect(JSON.parse((await d.cli('list-jobs', '--json')).stdout)).toEqual([]);
    expect((await d.cli('list-timers', '--json=short')).stdout).toBe('[]\n');
    expect((await d.cli('list-timers', '-o', 'json-pretty')).stdout).toBe('[]\n');
    const show = JSON.parse((await d.cli('show', 'app.service', 'db.service', '-p', 'ActiveState,SubState,Result', '--json=short')).stdout) as unknown;
    expect(show).toEqual([
      { Result: 'success', ActiveState: 'active', SubState: 'running' },
      { Result: 'success', ActiveState: 'active', SubState: 'exited' },
    ]);
    expect((await d.cli('show', 'app.service', 'db.service', '-p', 'ActiveState,SubState,Result', '-o', 'json')).stdout).toBe(`${JSON.stringify(show)}\n`);
    const status = JSON.parse((await d.cli('status', 'db.service', '--json')).stdout) as Record<string, unknown>[];
    expect(status[0]).toMatchObject({ Id: 'db.service', ActiveState: 'active', Type: 'oneshot' });
    expect((status[0]?.['Journal'] as Record<string, string>[]).map((e) => e['MESSAGE'])).toEqual(['Starting db.service...', 'Finished db.service.']);
  });

  test('logs -o json uses journald’s field names, as journalctl -o json prints them', async () => {
    const units = chainUnits();
    const d = await startDaemon(units.dir);
    await d.cli('start', 'bad.service');
    const res = await d.cli('logs', '-u', 'bad.service', '-o', 'json');
    const entries = res.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    const output = entries.find((e) => e['MESSAGE'] === 'oops');
    expect(output).toMatchObject({ _SYSTEMD_UNIT: 'bad.service', SYSLOG_IDENTIFIER: 'sh', _TRANSPORT: 'stdout', PRIORITY: '6' });
    expect(output?.['_PID']).toMatch(/^\d+$/);
    const failed = entries.find((e) => e['MESSAGE'] === "bad.service: Failed with result 'exit-code'.");
    // journalctl -o json (systemd 252): "UNIT":"bad.service","PRIORITY":"4","SYSLOG_IDENTIFIER":"systemd","_PID":"1",…
    expect(failed).toMatchObject({ UNIT: 'bad.service', PRIORITY: '4', _TRANSPORT: 'journal', _PID: String(d.child.pid), SYSLOG_IDENTIFIER: 'unitvisor' });
    expect(Number(failed?.['__REALTIME_TIMESTAMP'])).toBeGreaterThan(Date.now() * 1000 - 60e6);
    for (const e of entries) for (const v of Object.values(e)) expect(typeof v).toBe('string');
    const statusJson = await d.cli('status', 'bad.service', '-o', 'json');
    expect(statusJson.stdout).toMatch(/^× bad\.service\n/);
    expect(statusJson.stdout).toContain('"MESSAGE":"oops"');
  });
});
