// The examples/ folders, run as a user runs them (`unitvisor up examples/NAME`), with only Node.
// Where an example uses a fixed port or path, a drop-in moves it into the test's temp dir; the
// example's own unit files are used unchanged.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { lineIndex, startUp, stopAllUps } from '../helpers/run-up.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { freePort } from '../helpers/free-port.js';

afterEach(async () => {
  await stopAllUps();
  await expectNoLeakedProcesses();
});

const EXAMPLES = resolve(import.meta.dirname, '../../examples');

/** A temp copy of an example's unit files, each with a drop-in that runs it in the example folder. */
function exampleUnits(example: string, units: readonly string[], dropIn: (dir: string) => string) {
  const tmp = useTmpUnits({});
  for (const unit of units) {
    copyFileSync(join(EXAMPLES, example, unit), join(tmp.dir, unit));
    tmp.write(`${unit}.d/test.conf`, `[Service]\nWorkingDirectory=${join(EXAMPLES, example)}\n${dropIn(tmp.dir)}`);
  }
  return tmp.dir;
}

const inOrder = (lines: readonly string[], matches: readonly RegExp[]) => {
  const positions = matches.map((m) => lineIndex(lines, m));
  expect(positions.every((p) => p >= 0), `missing one of ${matches.join(' ')} in:\n${lines.join('\n')}`).toBe(true);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
};

describe('examples', () => {
  test('quickstart: the migration, then the web server (Type=notify), then the worker, started once its first answer is in (LogLine=); Ctrl-C stops them in reverse', async () => {
    const port = await freePort();
    const dir = exampleUnits('quickstart', ['migrate.service', 'web.service', 'worker.service'], (tmp) => `Environment=PORT=${port} DATA_DIR=${tmp}/data\n`);
    const up = await startUp(dir);
    await up.waitForLine(/^worker\.service\[\d+\]: worker: server has served \d+ requests$/);
    const page = (await (await fetch(`http://127.0.0.1:${port}/hello`)).json()) as { path: string; schema: number };
    expect(page).toMatchObject({ path: '/hello', schema: 1 });
    expect(JSON.parse(readFileSync(join(dir, 'data/schema.json'), 'utf8'))).toMatchObject({ version: 1 });
    expect((await up.cli('show', 'web.service', '-p', 'StatusText', '--value')).stdout).toBe(`Serving on port ${port}\n`);

    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    inOrder(up.lines, [
      /^Starting migrate\.service - Database migration\.\.\.$/,
      /^Finished migrate\.service - Database migration\.$/,
      /^Starting web\.service - Web server\.\.\.$/,
      /^web\.service\[\d+\]: listening on/,
      /^Started web\.service - Web server\.$/,
      // [X-Readiness] LogLine=: the worker counts as started once it has reached the web server.
      /^worker\.service\[\d+\]: worker: server has served \d+ requests$/,
      /^Started worker\.service - Background worker\.$/,
      /^Stopped worker\.service - Background worker\.$/,
      /^Stopped web\.service - Web server\.$/,
      /^Stopped migrate\.service - Database migration\.$/,
    ]);
  });

  test('notify: the service is "activating" with its STATUS= text until READY=1; the unit ordered after it waits', async () => {
    const up = await startUp(join(EXAMPLES, 'notify'));
    const step2 = await up.waitForLine(/^warmup\.service\[\d+\]: warm-up step 2\/5$/);
    // Hold the warm-up where it is (SIGSTOP), however long the client takes on a busy machine.
    const pid = Number(/\[(\d+)\]/.exec(step2)![1]);
    process.kill(pid, 'SIGSTOP');
    try {
      const during = await up.cli('status', 'warmup.service');
      expect(during.stdout).toMatch(/Active: activating \(start\)/);
      expect(during.stdout).toMatch(/Status: "Warming up: 2\/5"/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await up.waitForLine(/^Finished reporter\.service - Reports once the cache is warm\.$/);
    // (Output and notify datagrams travel apart: the last step's line may show after "Started".)
    inOrder(up.lines, [/^Started warmup\.service - Cache warm-up service\.$/, /^Starting reporter\.service/, /the cache is warm, reporting$/]);
    const props = (await up.cli('show', 'warmup.service', '-p', 'StatusText,WatchdogUSec,NRestarts')).stdout.split('\n');
    expect(props).toEqual(expect.arrayContaining(['WatchdogUSec=3s', 'NRestarts=0', 'StatusText=Ready: serving from a warm cache']));
    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    expect(up.lines).toContainEqual(expect.stringMatching(/^warmup\.service\[\d+\]: flushing the cache, bye$/));
  });

  test('forking: the launcher exits, MainPID is the daemon from PIDFile=, and stopping it removes the PID file', async () => {
    let pidFile = '';
    const dir = exampleUnits('forking', ['legacy-daemon.service'], (tmp) => {
      pidFile = join(tmp, 'legacy-daemon.pid');
      return `PIDFile=${pidFile}\nExecStart=\nExecStart=node daemon.mjs --pidfile ${pidFile}\n`;
    });
    const up = await startUp(dir);
    await up.waitForLine(/^Started legacy-daemon\.service - Legacy forking daemon\.$/);
    const daemonPid = readFileSync(pidFile, 'utf8').trim();
    const show = await up.cli('show', 'legacy-daemon.service', '-p', 'Type,MainPID,SubState,ExecMainStatus');
    expect(show.stdout.split('\n')).toEqual(expect.arrayContaining(['Type=forking', `MainPID=${daemonPid}`, 'SubState=running', 'ExecMainStatus=0']));
    // Output lines travel apart from the exit and the PID file, so only their presence is certain.
    inOrder(up.lines, [/^Starting legacy-daemon\.service/, /^Started legacy-daemon/]);
    await up.waitForLine(new RegExp(`daemon: running as pid ${daemonPid}$`));
    await up.waitForLine(/launcher: daemon \d+ is up, exiting$/);

    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    expect(up.lines).toContainEqual(expect.stringMatching(/daemon: stopped$/));
    expect(existsSync(pidFile)).toBe(false);
  });
});
