// `unitvisor init` as a real daemon, driven by the real client: systemctl's output and exit codes,
// the event log on stdout, and a malformed or abandoned request that never takes it down.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openGate } from '../helpers/fifo-gate.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { CLI, startDaemon, runCli, stopAllDaemons } from '../helpers/start-daemon.js';
import { puppet, useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

function rawRequest(socket: string, payload: string, closeEarly = false): Promise<string> {
  return new Promise((resolve) => {
    const client = createConnection(socket, () => {
      client.write(payload);
      if (closeEarly) client.destroy();
    });
    let data = '';
    client.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
    client.on('close', () => resolve(data));
    client.on('error', () => resolve(data));
  });
}

describe('unitvisor init', () => {
  test('start, status, is-active, show and stop print what systemctl prints', async () => {
    const units = useTmpUnits({
      'web.service': '[Unit]\nDescription=Web server\n[Service]\nExecStart=/bin/sleep 60\n',
      'job.service': `[Service]\nType=oneshot\nExecStart=${puppet('exit-with', 1, '--say', 'working')}\n`,
    });
    const d = await startDaemon(units.dir);
    expect(await d.cli('start', 'web.service')).toEqual({ stdout: '', stderr: '', code: 0 });
    const status = await d.cli('status', 'web.service');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^● web\.service - Web server\n {5}Loaded: loaded \(.*web\.service; static\)\n {5}Active: active \(running\) since .*; .* ago\n {3}Main PID: \d+ \(sleep\)/);
    expect(await d.cli('is-active', 'web.service')).toEqual({ stdout: 'active\n', stderr: '', code: 0 });
    expect((await d.cli('show', 'web.service', '-p', 'ActiveState,SubState,Type,TimeoutStartUSec,LoadState')).stdout).toBe(
      'Type=simple\nTimeoutStartUSec=1min 30s\nLoadState=loaded\nActiveState=active\nSubState=running\n',
    );

    const failed = await d.cli('start', 'job.service');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('Job for job.service failed because the control process exited with error code.\nSee "unitvisor status job.service" and "unitvisor logs -u job.service" for details.\n');
    expect((await d.cli('is-failed', 'job.service')).stdout).toBe('failed\n');
    const jobStatus = await d.cli('status', 'job.service');
    expect(jobStatus.code).toBe(3);
    expect(jobStatus.stdout).toContain('× job.service\n');
    expect(jobStatus.stdout).toContain('Active: failed (Result: exit-code)');
    expect(jobStatus.stdout).toMatch(/Main PID: \d+ \(code=exited, status=1\/FAILURE\)/);
    expect(jobStatus.stdout).toMatch(/job\.service: Failed with result 'exit-code'\./);

    expect(await d.cli('start', 'nosuch.service')).toEqual({ stdout: '', stderr: 'Failed to start nosuch.service: Unit nosuch.service not found.\n', code: 5 });
    expect(await d.cli('status', 'nosuch.service')).toEqual({ stdout: '', stderr: 'Unit nosuch.service could not be found.\n', code: 4 });
    expect(await d.cli('is-active', 'nosuch.service')).toEqual({ stdout: 'inactive\n', stderr: '', code: 3 });

    expect((await d.cli('stop', 'web.service')).code).toBe(0);
    expect((await d.cli('is-active', 'web.service')).code).toBe(3);
    await d.cli('reset-failed', 'job.service');
    expect((await d.cli('is-failed', 'job.service')).stdout).toBe('inactive\n');

    // The event log: systemd's words, one JSON object per line, each lifecycle line filed under its unit.
    const lines = d.logs.filter((l) => l.unit === 'web.service' || l.unit === 'job.service').map((l) => `${l.unit}|${l.msg}`);
    expect(lines).toEqual([
      'web.service|Started web.service - Web server.',
      'job.service|Starting job.service...',
      'job.service|working',
      'job.service|job.service: Main process exited, code=exited, status=1/FAILURE',
      "job.service|job.service: Failed with result 'exit-code'.",
      'job.service|Failed to start job.service.',
      'web.service|Stopping web.service - Web server...',
      'web.service|web.service: Deactivated successfully.',
      'web.service|Stopped web.service - Web server.',
    ]);
    const output = d.logs.find((l) => l.msg === 'working');
    expect(output).toMatchObject({ unit: 'job.service', stream: 'stdout', level: 'info' });
    expect(output?.pid).toBeGreaterThan(0);
    expect(await d.stop()).toBe(0); // nothing failed any more: a clean shutdown
  });

  test('--no-block returns at once and list-jobs shows the queued job', async () => {
    const units = useTmpUnits({});
    const gate = join(units.dir, 'gate');
    execFileSync('mkfifo', [gate]);
    writeFileSync(join(units.dir, 'slow.service'), `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'read line < ${gate}'\n`);
    const d = await startDaemon(units.dir);
    expect(await d.cli('start', '--no-block', 'slow.service')).toEqual({ stdout: '', stderr: '', code: 0 });
    const jobs = await d.cli('list-jobs');
    // As systemctl 252 prints it: "JOB UNIT         TYPE  STATE" / "68  slow.service start running" / "" / "1 jobs listed.",
    // and how long the job has run after systemctl's columns.
    expect(jobs.stdout).toMatch(/^JOB UNIT {9}TYPE {2}STATE {3}TIME\n\d+ +slow\.service start running (0|\d+ms|\d+s)\n\n1 jobs listed\.\n$/);
    await expect.poll(() => openGate(gate)).toBe(true);
    await d.waitForLog((l) => l.msg === 'Finished slow.service.');
    expect((await d.cli('list-jobs')).stdout).toBe('No jobs running.\n');
    expect(await d.stop()).toBe(0);
  });

  test('a malformed request, an abandoned one and many clients at once leave the daemon serving', async () => {
    const units = useTmpUnits({ 'a.service': '[Service]\nExecStart=/bin/sleep 60\n' });
    const d = await startDaemon(units.dir);
    expect(JSON.parse(await rawRequest(d.socket, 'not json\n'))).toEqual({ ok: false, code: 'bad-request', message: 'Malformed request: not JSON.' });
    expect(JSON.parse(await rawRequest(d.socket, '{"verb":"start","units":"a.service"}\n'))).toMatchObject({ ok: false, code: 'bad-request' });
    expect(JSON.parse(await rawRequest(d.socket, '{"verb":"frobnicate"}\n'))).toMatchObject({ ok: false, message: "Unknown command verb 'frobnicate'." });
    await rawRequest(d.socket, '{"verb":"start","units":["a.service"],"noBlock":false}\n', true);
    // Thirty connections at once, and a real client among them.
    const many = await Promise.all(Array.from({ length: 30 }, () => rawRequest(d.socket, '{"verb":"is-active","units":["a.service"]}\n')));
    for (const reply of many) expect(JSON.parse(reply)).toEqual({ ok: true, result: { states: [{ unit: 'a.service', activeState: 'active' }] } });
    expect(await d.cli('is-active', 'a.service')).toMatchObject({ stdout: 'active\n', code: 0 });
    expect((await d.cli('stop', 'a.service')).code).toBe(0);
    expect(await d.stop()).toBe(0);
  });

  test('the control socket is private to its owner (mode 0600)', async () => {
    const units = useTmpUnits({});
    const d = await startDaemon(units.dir);
    const { statSync } = await import('node:fs');
    expect(statSync(d.socket).mode & 0o777).toBe(0o600);
    // A client running as another user is refused with a clear message.
    const { execFile } = await import('node:child_process');
    const asNobody = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'is-active', 'x.service', '--socket', d.socket], (error, _out, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stderr }),
      ),
    );
    expect(asNobody.code).toBe(1);
    expect(asNobody.stderr).toContain('Permission denied');
    expect(await d.stop()).toBe(0);
  });

  test('a client without a daemon gets a clear error', async () => {
    const result = await runCli(['status', '--socket', '/nonexistent/unitvisor.sock']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no daemon is running there');
  });
});
