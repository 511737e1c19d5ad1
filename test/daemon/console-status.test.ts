// systemd's console status while a job runs ("Job slow.service/start running (3s / 1min 30s)" behind the
// moving stars), drawn by `start` and by `up` on a real pseudo-terminal (util-linux `script`), never into a pipe.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses, ownerEnvironment } from '../helpers/processes.js';
import { CLI, runCli, startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { openGate } from '../helpers/fifo-gate.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.log('console-status: util-linux `script` is not installed; the terminal tests are skipped (apt-get install bsdutils)');

afterEach(async () => {
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

/** A oneshot that ends once the test opens its gate: its start job runs until then, with a 1min 30s timeout. */
function slowUnit() {
  const units = useTmpUnits({});
  const gate = join(units.dir, 'gate');
  execFileSync('mkfifo', [gate]);
  units.write('slow.service', `[Service]\nType=oneshot\nTimeoutStartSec=90\nExecStart=/bin/sh -c 'read line < ${gate}'\n`);
  return { ...units, gate };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal; everything it drew is collected as it arrives. */
function onTerminal(args: readonly string[]) {
  const child = spawn('script', ['-q', '-e', '-c', [process.execPath, CLI, ...args].map(quote).join(' '), '/dev/null'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...ownerEnvironment(), NO_COLOR: '1', TERM: 'xterm' },
  });
  let output = '';
  const waiters: { re: RegExp; done: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    for (const w of [...waiters]) if (w.re.test(output)) (waiters.splice(waiters.indexOf(w), 1), w.done());
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    output: () => output,
    exited,
    waitFor(re: RegExp, timeoutMs = 30_000): Promise<void> {
      if (re.test(output)) return Promise.resolve();
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`${re} not drawn within ${timeoutMs} ms; drawn: ${JSON.stringify(output)}`)), timeoutMs);
        waiters.push({ re, done: () => (clearTimeout(timer), ok()) });
      });
    },
  };
}

// The limit is the unit's TimeoutStartSec= counted from when the job was queued: 1min 30s, a second more on a slow machine.
const STATUS_LINE = /\[[ *]{6}\] Job slow\.service\/start running \(\d+s \/ 1min 3\ds\)\r\n/;
/** An ephemeral line not moved back over and erased before what follows it. */
const LEFT_STANDING = /running \([^)]*\)\r\n(?!\x1bM\r\x1b\[K)/;

describe.skipIf(!hasScript)('live progress on a terminal', () => {
  test('start draws the status line while its job runs and erases it when done; the same wait in a pipe prints nothing', async () => {
    const units = slowUnit();
    const d = await startDaemon(units.dir);
    // The piped client queues the job first, so it waits at least as long as the terminal one.
    const piped = d.cli('start', 'slow.service');
    const terminal = onTerminal(['start', 'slow.service', '--socket', d.socket]);
    await terminal.waitFor(STATUS_LINE);
    // Redrawn in place: the second line moves back over the first.
    await terminal.waitFor(new RegExp(`${STATUS_LINE.source}\\x1bM\\r\\x1b\\[K${STATUS_LINE.source}`));
    await expect.poll(() => openGate(units.gate), { timeout: 10_000 }).toBe(true);
    expect(await piped).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await terminal.exited).toBe(0);
    const drawn = terminal.output();
    expect(drawn).toMatch(/running \(\d+s \/ 1min 3\ds\)\r\n\x1bM\r\x1b\[K$/);
    expect(drawn).not.toMatch(LEFT_STANDING);
    // --no-block returns at once: nothing to draw.
    const noBlock = onTerminal(['restart', 'slow.service', '--no-block', '--socket', d.socket]);
    expect(await noBlock.exited).toBe(0);
    expect(noBlock.output()).toBe('');
  });

  test('up draws it below its log and erases it before each new log line, for the stop jobs of its shutdown too', async () => {
    const units = slowUnit();
    // Deaf to SIGTERM: its stop job runs until the test opens the second gate.
    const stopGate = join(units.dir, 'stop-gate');
    execFileSync('mkfifo', [stopGate]);
    units.write('stubborn.service', `[Service]\nExecStart=/bin/sh -c 'trap "" TERM; read line < ${stopGate}; exit 0'\n`);
    const socket = join(units.dir, '.control.sock');
    const up = onTerminal(['up', units.dir, '--socket', socket]);
    await up.waitFor(STATUS_LINE);
    await expect.poll(() => openGate(units.gate), { timeout: 10_000 }).toBe(true);
    await up.waitFor(/Finished slow\.service\.\r\n/);
    const drawn = up.output();
    // The job's end is logged where the status line was: back up over it, erase it, then the log line.
    expect(drawn).toMatch(/1min 3\ds\)\r\n\x1bM\r\x1b\[K\w{3} \d\d [\d:.]+ slow\.service: Deactivated successfully\.\r\n/);
    expect(drawn).not.toMatch(LEFT_STANDING);
    expect((await runCli(['poweroff', '--socket', socket])).code).toBe(0);
    await up.waitFor(/\[[ *]{6}\] Job stubborn\.service\/stop running \(\d+(ms|s) \/ 1min 3\ds\)\r\n/);
    await expect.poll(() => openGate(stopGate), { timeout: 10_000 }).toBe(true);
    expect(await up.exited).toBe(0);
    expect(up.output()).not.toMatch(LEFT_STANDING);
  });
});
