// Nothing outlives its supervisor: a `kill -9` of the daemon, or of a test runner that booted the
// Supervisor API, takes the services' main and control processes with it (PR_SET_PDEATHSIG in the
// exec helper); what forked away from them is killed by the next supervisor to boot (INVOCATION_ID).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllDaemons();
  // A supervisor killed with SIGKILL cannot remove its runtime directory (this file's temp dir is its own).
  for (const name of readdirSync(tmpdir())) if (name.startsWith('unitvisor-run-')) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  await expectNoLeakedProcesses();
});

/** Alive and not a zombie. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const UNITS = {
  'main.service': '[Service]\nExecStart=/bin/sleep 600\n',
  'stopping.service': '[Service]\nExecStart=/bin/sleep 600\nExecStop=/bin/sleep 600\nTimeoutStopSec=600\n',
};

test('kill -9 of the daemon: the main process and a running control process die with it', async () => {
  const units = useTmpUnits(UNITS);
  const d = await startDaemon(units.dir);
  expect((await d.cli('start', 'main.service', 'stopping.service')).code).toBe(0);
  const mainPid = Number((await d.cli('show', 'main.service', '-p', 'MainPID', '--value')).stdout);
  expect((await d.cli('stop', '--no-block', 'stopping.service')).code).toBe(0);
  await expect.poll(async () => Number((await d.cli('show', 'stopping.service', '-p', 'ControlPID', '--value')).stdout), { timeout: 20_000 }).toBeGreaterThan(0);
  const controlPid = Number((await d.cli('show', 'stopping.service', '-p', 'ControlPID', '--value')).stdout);
  expect(running(mainPid) && running(controlPid)).toBe(true);
  d.child.kill('SIGKILL');
  await d.exited;
  await expect.poll(() => running(mainPid) || running(controlPid), { timeout: 20_000 }).toBe(false);
});

test('kill -9 of a process that booted the Supervisor API: its services die with it', async () => {
  const units = useTmpUnits(UNITS);
  const api = resolve(import.meta.dirname, '../../dist/api/index.js');
  const script = `
    const { Supervisor } = await import(${JSON.stringify(api)});
    const sv = await Supervisor.boot({ unitPath: [${JSON.stringify(units.dir)}] });
    await sv.start('main.service');
    console.log(sv.show('main.service').MainPID);
    setInterval(() => {}, 1000);
  `;
  const host = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const mainPid = await new Promise<number>((done) => host.stdout.setEncoding('utf8').once('data', (text: string) => done(Number(text.trim()))));
  expect(running(mainPid)).toBe(true);
  const exited = new Promise((done) => host.once('exit', done));
  host.kill('SIGKILL');
  await exited;
  await expect.poll(() => running(mainPid), { timeout: 20_000 }).toBe(false);
});

test('what forked away from a service is swept by the next supervisor, by the INVOCATION_ID prefix of the dead one', async () => {
  const units = useTmpUnits({});
  units.write('escape.service', `[Service]\nWorkingDirectory=${units.dir}\nExecStart=/bin/sh -c 'setsid /bin/sleep 601 & echo $! > escaped.pid; exec /bin/sleep 600'\n`);
  const first = await startDaemon(units.dir);
  expect((await first.cli('start', 'escape.service')).code).toBe(0);
  const escapedPid = (): number => Number(existsSync(`${units.dir}/escaped.pid`) ? readFileSync(`${units.dir}/escaped.pid`, 'utf8') : 0);
  await expect.poll(escapedPid).toBeGreaterThan(0);
  const escaped = escapedPid();
  first.child.kill('SIGKILL');
  await first.exited;
  // PR_SET_PDEATHSIG is not inherited by what the main process forks: it is still there.
  expect(running(escaped)).toBe(true);
  const second = await startDaemon(units.dir);
  await expect.poll(() => running(escaped), { timeout: 20_000 }).toBe(false);
  const logged = await second.cli('logs');
  expect(logged.stdout).toContain(`Killed process ${escaped} (sleep) left behind by unitvisor ${first.child.pid}, which died without stopping its units.`);
});
