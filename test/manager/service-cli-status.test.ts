// The CLI's view of these services through the real daemon: `status` and `show` as systemctl prints them
// for systemd 252 (oracle runs of the same units), and the daemon carrying on after faults.
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

/** status's lines without the timestamps that differ between runs. */
const stable = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.replace(/ since .*; .* ago$/, ' since T').replace(/^\w{3} \d\d \d\d:\d\d:\d\d \S+ /, ''))
    .filter((line) => !/^\s+Duration: /.test(line));

describe('status and show of failed and notifying services', () => {
  test('faults end as systemctl status shows them, and the daemon carries on', async () => {
    const units = useTmpUnits({
      'missing.service': '[Service]\nType=exec\nExecStart=/nonexistent/bin arg\n',
      'prefail.service': "[Service]\nType=oneshot\nExecStartPre=/bin/sh -c 'exit 4'\nExecStart=/bin/echo never\n",
      'badenv.service': '[Service]\nEnvironmentFile=/proc\nExecStart=/bin/true\n',
      'errno.service': "[Service]\nType=notify\nExecStart=/bin/sh -c 'systemd-notify --ready ERRNO=5 \"STATUS=bad io\"; exec sleep 30'\n",
      'ok.service': '[Service]\nExecStart=/bin/sleep 30\n',
    });
    const daemon = await startDaemon(units.dir);
    const missing = await daemon.cli('start', 'missing.service');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Job for missing.service failed because the control process exited with error code.');
    expect((await daemon.cli('start', 'prefail.service')).code).toBe(1);
    const badenv = await daemon.cli('start', 'badenv.service');
    expect(badenv.stderr).toContain('Job for badenv.service failed because of unavailable resources or another system error.');
    expect((await daemon.cli('start', 'errno.service')).code).toBe(0);

    const status = await daemon.cli('status', 'missing.service');
    expect(status.code).toBe(3);
    const pid = /Main PID: (\d+)/.exec(status.stdout)?.[1];
    expect(stable(status.stdout)).toEqual([
      '× missing.service',
      `     Loaded: loaded (${units.dir}/missing.service; static)`,
      '     Active: failed (Result: exit-code) since T',
      `    Process: ${pid} ExecStart=/nonexistent/bin arg (code=exited, status=203/EXEC)`,
      `   Main PID: ${pid} (code=exited, status=203/EXEC)`,
      '',
      expect.stringMatching(/Starting missing\.service\.\.\.$/),
      expect.stringMatching(/missing\.service: Failed to locate executable \/nonexistent\/bin: No such file or directory$/),
      expect.stringMatching(/missing\.service: Failed at step EXEC spawning \/nonexistent\/bin: No such file or directory$/),
      expect.stringMatching(/missing\.service: Main process exited, code=exited, status=203\/EXEC$/),
      expect.stringMatching(/missing\.service: Failed with result 'exit-code'\.$/),
      expect.stringMatching(/Failed to start missing\.service\.$/),
      '',
    ]);

    const prefail = stable((await daemon.cli('status', 'prefail.service')).stdout);
    expect(prefail.slice(0, 4)).toEqual(['× prefail.service', `     Loaded: loaded (${units.dir}/prefail.service; static)`, '     Active: failed (Result: exit-code) since T', expect.stringMatching(/^    Process: \d+ ExecStartPre=\/bin\/sh -c exit 4 \(code=exited, status=4\)$/)]);
    expect(prefail[4]).toBe('');

    // No process ran: no "Process:" nor "Main PID:" line.
    const env = stable((await daemon.cli('status', 'badenv.service')).stdout);
    expect(env.slice(0, 4)).toEqual(['× badenv.service', `     Loaded: loaded (${units.dir}/badenv.service; static)`, expect.stringMatching(/^ {5}Active: failed \(Result: resources\)/), '']);

    const errno = stable((await daemon.cli('status', 'errno.service')).stdout);
    expect(errno.slice(2, 6)).toEqual(['     Active: active (running) since T', expect.stringMatching(/^   Main PID: \d+ \(sleep\)$/), '     Status: "bad io"', '      Error: 5 (Input/output error)']);

    const show = await daemon.cli('show', 'missing.service', 'badenv.service', 'errno.service', '-p', 'Result,ExecMainCode,ExecMainStatus,StatusText,StatusErrno,NRestarts');
    expect(show.stdout.split('\n\n').map((block) => block.trim().split('\n').sort())).toEqual([
      ['ExecMainCode=1', 'ExecMainStatus=203', 'NRestarts=0', 'Result=exit-code', 'StatusErrno=0', 'StatusText='],
      ['ExecMainCode=0', 'ExecMainStatus=0', 'NRestarts=0', 'Result=resources', 'StatusErrno=0', 'StatusText='],
      ['ExecMainCode=0', 'ExecMainStatus=0', 'NRestarts=0', 'Result=success', 'StatusErrno=5', 'StatusText=bad io'],
    ]);

    expect((await daemon.cli('start', 'ok.service')).code).toBe(0);
    expect((await daemon.cli('is-active', 'ok.service')).stdout.trim()).toBe('active');
  });
});
