// `unitvisor up DIR`, the dev process manager, run for real: every unit of DIR started in dependency
// order with its output prefixed by its name (coloured on a TTY), `status` from another terminal,
// Ctrl-C stopping everything in reverse order, and a second Ctrl-C forcing it.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { lineIndex, startUp, stopAllUps } from '../helpers/run-up.js';
import { CLI } from '../helpers/start-daemon.js';
import { puppet, useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllUps();
  await expectNoLeakedProcesses();
});

const sleeper = (after = '') => `[Unit]\n${after ? `After=${after}\n` : ''}[Service]\nExecStart=/bin/sleep 60\n`;

describe('unitvisor up', () => {
  test('starts every unit of DIR in dependency order, runs them in DIR, and prefixes their output with the unit name', async () => {
    const units = useTmpUnits({
      // No WorkingDirectory=: the units run in DIR, so relative paths name files next to the unit files.
      'migrate.service': '[Unit]\nDescription=Migration\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=node migrate.mjs\n',
      'migrate.mjs': 'console.log(`migrating in ${process.cwd()}`);\n',
      'web.service': '[Unit]\nRequires=migrate.service\nAfter=migrate.service\n[Service]\nExecStart=node web.mjs\n',
      'web.mjs': "console.log('serving'); console.error('a warning'); setInterval(() => {}, 1000);\n",
    });
    const up = await startUp(units.dir);
    await up.waitForLine(/^web\.service\[\d+\]: a warning$/);
    await up.waitForLine(/^web\.service\[\d+\]: serving$/);
    expect(up.lines).toContainEqual(expect.stringMatching(new RegExp(`^migrate\\.service\\[\\d+\\]: migrating in ${units.dir}$`)));
    const order = [/^Starting migrate\.service - Migration\.\.\.$/, /^migrate\.service\[\d+\]: migrating/, /^Finished migrate\.service - Migration\.$/, /^Started web\.service\.$/];
    const positions = order.map((m) => lineIndex(up.lines, m));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));

    // `unitvisor status` in another terminal shows what runs.
    const status = await up.cli('status');
    expect(status.stdout).toMatch(/web\.service\n\s+Loaded: loaded \(.*web\.service; static\)\n\s+Active: active \(running\)/);
    const list = await up.cli('list-units');
    expect(list.stdout).toMatch(/migrate\.service\s+loaded active exited\s+Migration/);
    expect(list.stdout).toMatch(/web\.service\s+loaded active running/);
  });

  test('Ctrl-C (SIGINT) stops every unit in reverse dependency order, then exits 0', async () => {
    const units = useTmpUnits({ 'a.service': sleeper(), 'b.service': sleeper('a.service'), 'c.service': sleeper('b.service') });
    const up = await startUp(units.dir);
    await up.waitForLine(/^Started c\.service\.$/);
    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    const stopped = ['c', 'b', 'a'].flatMap((u) => [lineIndex(up.lines, new RegExp(`^Stopping ${u}\\.service\\.\\.\\.$`)), lineIndex(up.lines, new RegExp(`^Stopped ${u}\\.service\\.$`))]);
    expect(stopped.every((p) => p >= 0), up.lines.join('\n')).toBe(true);
    expect(stopped, up.lines.join('\n')).toEqual([...stopped].sort((x, y) => x - y));
    expect(up.lines.at(-1)).toBe('Reached target shutdown.target - System Shutdown.');
  });

  test('a second Ctrl-C during shutdown kills what is still stopping instead of waiting for TimeoutStopSec=', async () => {
    const units = useTmpUnits({ 'stubborn.service': `[Service]\nExecStart=${puppet('ignore-sigterm')}\nTimeoutStopSec=60\n` });
    const up = await startUp(units.dir);
    await up.waitForLine(/^stubborn\.service\[\d+\]: ready$/);
    up.child.kill('SIGINT');
    await up.waitForLine(/^stubborn\.service\[\d+\]: got SIGTERM$/);
    up.child.kill('SIGINT');
    const code = await up.exited;
    // As systemd 252 logs a SIGKILL during stop-sigterm (oracle: `stop --no-block`, then `kill --signal=SIGKILL`).
    const ends = ['stubborn.service: Main process exited, code=killed, status=9/KILL', "stubborn.service: Failed with result 'signal'.", 'Stopped stubborn.service.'];
    const positions = ends.map((line) => up.lines.indexOf(line));
    expect(positions.every((p) => p >= 0), up.lines.join('\n')).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // A unit failed while stopping: the exit code says so.
    expect(code).toBe(1);
  });

  test('on a terminal, each unit prefix is coloured and a real Ctrl-C (^C on the tty) stops everything', async () => {
    const units = useTmpUnits({ 'a.service': "[Service]\nExecStart=/bin/sh -c 'echo hello; exec sleep 60'\n", 'b.service': "[Service]\nExecStart=/bin/sh -c 'echo hi; exec sleep 60'\n" });
    // script(1) runs the daemon on a pseudo-terminal; the byte 0x03 written to it is a real Ctrl-C.
    const command = `exec ${process.execPath} ${CLI} up ${units.dir} --socket ${units.dir}/control.sock`;
    const script = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    script.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((done) => script.once('exit', (code) => done(code)));
    try {
      await expect.poll(() => /a\.service\[\d+\]:.* hello/.test(output) && /b\.service\[\d+\]:.* hi/.test(output), { timeout: 15_000 }).toBe(true);
      script.stdin.write('\x03');
      expect(await exited).toBe(0);
    } finally {
      script.kill('SIGKILL');
    }
    const prefixA = /(\x1b\[\d+m)a\.service\[\d+\]:\x1b\[0m hello/.exec(output);
    const prefixB = /(\x1b\[\d+m)b\.service\[\d+\]:\x1b\[0m hi/.exec(output);
    expect(prefixA).not.toBeNull();
    expect(prefixB).not.toBeNull();
    expect(prefixA![1]).not.toBe(prefixB![1]);
    expect(output).toContain('Stopped a.service.');
    expect(output).toContain('Reached target shutdown.target - System Shutdown.');
  });
});
