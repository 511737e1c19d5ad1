// Signals as a container runtime sends them to `unitvisor init` running as PID 1, and the exit-code rule:
// an explicit `exit CODE` or exit action wins; else 1 if any unit failed; else 0.
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { runCli } from '../helpers/start-daemon.js';
import { puppet, useTmpUnits } from '../helpers/use-tmp-units.js';
import { lifecycle, startInNamespace, stopNamespaceDaemons, type NamespaceDaemon } from './namespace-daemon.js';

afterEach(async () => {
  await stopNamespaceDaemons();
  await expectNoLeakedProcesses();
});

const WANTED = '[Install]\nWantedBy=multi-user.target\n';

/** A unit directory whose services are enabled as `unitvisor enable` enables them, booted as PID 1. */
async function boot(files: Record<string, string>, options: { untilReady?: boolean; extraArgs?: string[] } = {}): Promise<NamespaceDaemon> {
  const units = useTmpUnits(files);
  const services = Object.keys(files).filter((name) => name.endsWith('.service') && files[name]!.includes('[Install]'));
  if (services.length > 0) expect((await runCli(['enable', '--unit-path', units.dir, ...services])).code).toBe(0);
  const d = await startInNamespace([units.dir], units.dir, { extraArgs: options.extraArgs ?? [] });
  if (options.untilReady !== false) await d.waitForLog((l) => l.msg === 'Reached target multi-user.target - Multi-User System.');
  return d;
}

const stopped = (d: NamespaceDaemon) => d.logs.filter((l) => /^Stopped .*\.service/.test(l.msg)).map((l) => l.unit);

describe('SIGTERM and SIGINT stop every unit in reverse dependency order, then exit', () => {
  const chain = {
    'db.service': `[Unit]\nDescription=Database\n[Service]\nExecStart=/bin/sleep 600\n${WANTED}`,
    'app.service': `[Unit]\nRequires=db.service\nAfter=db.service\n[Service]\nExecStart=/bin/sleep 600\n${WANTED}`,
    'web.service': `[Unit]\nWants=app.service\nAfter=app.service\n[Service]\nExecStart=/bin/sleep 600\n${WANTED}`,
  };

  test('SIGTERM: web, app, db stop in that order; a clean shutdown exits 0', async () => {
    const d = await boot(chain);
    expect(d.logs.filter((l) => /^Started /.test(l.msg)).map((l) => l.unit)).toEqual(['db.service', 'app.service', 'web.service']);
    d.signal('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(stopped(d)).toEqual(['web.service', 'app.service', 'db.service']);
    expect(lifecycle(d.logs, ['db.service'])).toEqual([
      'db.service|Started db.service - Database.',
      'db.service|Stopping db.service - Database...',
      'db.service|db.service: Deactivated successfully.',
      'db.service|Stopped db.service - Database.',
    ]);
    expect(d.logs.map((l) => l.msg)).toContain('Reached target shutdown.target - System Shutdown.');
  });

  test("SIGINT honours each unit's TimeoutStopSec=, and a unit that had to be killed makes the exit code 1", async () => {
    const d = await boot({
      ...chain,
      'stubborn.service': `[Unit]\nAfter=db.service\n[Service]\nExecStart=${puppet('ignore-sigterm')}\nTimeoutStopSec=1s\n${WANTED}`,
    });
    await d.waitForLog((l) => l.unit === 'stubborn.service' && l.msg === 'ready');
    const t0 = Date.now();
    d.signal('SIGINT');
    expect(await d.exited).toBe(1);
    // At least the unit's 1 s; the default 90 s could not end within the test's own time limit.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(lifecycle(d.logs, ['stubborn.service']).slice(-6)).toEqual([
      'stubborn.service|Stopping stubborn.service...',
      "stubborn.service|stubborn.service: State 'stop-sigterm' timed out. Killing.",
      // The comm systemd prints: Node 24 renames its main thread "MainThread".
      expect.stringMatching(/^stubborn\.service\|stubborn\.service: Killing process \d+ \((node|MainThread)\) with signal SIGKILL\.$/),
      'stubborn.service|stubborn.service: Main process exited, code=killed, status=9/KILL',
      "stubborn.service|stubborn.service: Failed with result 'timeout'.",
      'stubborn.service|Stopped stubborn.service.',
    ]);
    // db.service is ordered before stubborn.service: it stops only once stubborn.service is gone.
    const order = stopped(d);
    expect(order.indexOf('db.service')).toBeGreaterThan(order.indexOf('stubborn.service'));
  });
});

describe('the exit code', () => {
  test('`unitvisor exit 7` stops everything in order and exits 7', async () => {
    const d = await boot({ 'a.service': `[Service]\nExecStart=/bin/sleep 600\n${WANTED}` });
    expect(await d.cli('exit', '7')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await d.exited).toBe(7);
    expect(stopped(d)).toEqual(['a.service']);
  });

  test('a failed unit makes a SIGTERM shutdown exit 1', async () => {
    const d = await boot({
      'ok.service': `[Service]\nExecStart=/bin/sleep 600\n${WANTED}`,
      'broken.service': `[Service]\nExecStart=/bin/sh -c 'exit 2'\n${WANTED}`,
    });
    await d.waitForLog((l) => l.msg === "broken.service: Failed with result 'exit-code'.");
    d.signal('SIGTERM');
    expect(await d.exited).toBe(1);
  });

  test("FailureAction=exit: the main process's exit status becomes the exit code, after an orderly stop", async () => {
    // systemd 252 in a container (oracle): FailureAction=exit, main process exits 3 → the container exits 3.
    const d = await boot({
      'main.service': `[Unit]\nFailureAction=exit\n[Service]\nExecStart=/bin/sh -c 'sleep 0.5; exit 3'\n${WANTED}`,
      'side.service': `[Service]\nExecStart=/bin/sleep 600\n${WANTED}`,
    }, { untilReady: false });
    expect(await d.exited).toBe(3);
    expect(lifecycle(d.logs, ['main.service', 'side.service'])).toEqual(
      expect.arrayContaining(['main.service|main.service: Main process exited, code=exited, status=3/NOTIMPLEMENTED', 'side.service|Stopped side.service.']),
    );
  });

  test('SuccessAction=exit-force with SuccessActionExitStatus=: exits at once with that status', async () => {
    // systemd 252 (oracle): SuccessAction=exit-force, SuccessActionExitStatus=7 → exit 7 without stopping the other units.
    const d = await boot({
      'main.service': `[Unit]\nSuccessAction=exit-force\nSuccessActionExitStatus=7\n[Service]\nType=oneshot\nExecStart=/bin/sh -c 'sleep 0.5'\n${WANTED}`,
      'stubborn.service': `[Service]\nExecStart=${puppet('ignore-sigterm')}\nTimeoutStopSec=60s\n${WANTED}`,
    }, { untilReady: false });
    expect(await d.exited).toBe(7);
    // Killed at once, not after the stubborn unit's 60 s TimeoutStopSec=.
    expect(lifecycle(d.logs, ['stubborn.service'])).toContain("stubborn.service|stubborn.service: Failed with result 'signal'.");
  });

  test('SuccessAction=exit without a status: the main process exit status (0)', async () => {
    const d = await boot({ 'main.service': `[Unit]\nSuccessAction=exit\n[Service]\nType=oneshot\nExecStart=/bin/true\n${WANTED}` }, { untilReady: false, extraArgs: ['--debug'] });
    expect(await d.exited).toBe(0);
    // systemd 252 logs it at debug level, under no unit (oracle, systemd.log_level=debug).
    expect(d.logs.find((l) => l.msg.startsWith('Exiting'))).toMatchObject({ level: 'debug', msg: 'Exiting: unit main.service succeeded' });
    expect(d.logs.find((l) => l.msg.startsWith('Exiting'))?.unit).toBeUndefined();
  });
});

describe('other signals', () => {
  test('a second SIGTERM during shutdown kills everything now', async () => {
    const d = await boot({ 'stubborn.service': `[Service]\nExecStart=${puppet('ignore-sigterm')}\nTimeoutStopSec=60s\n${WANTED}` });
    await d.waitForLog((l) => l.msg === 'ready');
    d.signal('SIGTERM');
    await d.waitForLog((l) => l.msg === 'got SIGTERM');
    d.signal('SIGTERM');
    expect(await d.exited).toBe(1); // the unit was killed: not a clean shutdown
    // Killed by the second signal, not by its 60 s TimeoutStopSec=.
    expect(lifecycle(d.logs, ['stubborn.service'])).not.toContain("stubborn.service|stubborn.service: State 'stop-sigterm' timed out. Killing.");
    expect(lifecycle(d.logs, ['stubborn.service'])).toContain('stubborn.service|stubborn.service: Main process exited, code=killed, status=9/KILL');
  });

  test('SIGHUP is daemon-reload: a unit file added afterwards can be started', async () => {
    const units = useTmpUnits({});
    const d = await startInNamespace([units.dir], units.dir);
    expect((await d.cli('start', 'late.service')).code).toBe(5);
    units.write('late.service', '[Service]\nExecStart=/bin/sleep 600\n');
    d.signal('SIGHUP');
    await d.waitForLog((l) => l.msg === 'Reloading finished.');
    expect((await d.cli('start', 'late.service')).code).toBe(0);
    d.signal('SIGTERM');
    expect(await d.exited).toBe(0);
  });

  test('SIGUSR1 and SIGUSR2 are forwarded to the main process of every running service; SIGQUIT is ignored', async () => {
    const reporter = puppet('report-signals', 'SIGUSR1', 'SIGUSR2', 'SIGQUIT');
    const d = await boot({
      'one.service': `[Service]\nExecStart=${reporter}\n${WANTED}`,
      'two.service': `[Service]\nExecStart=${reporter}\n${WANTED}`,
    });
    const heard = (unit: string, what: string) => d.logs.some((l) => l.unit === unit && l.msg === what);
    await expect.poll(() => heard('one.service', 'ready') && heard('two.service', 'ready')).toBe(true);
    for (const signal of ['SIGUSR1', 'SIGUSR2'] as const) {
      d.signal(signal);
      await expect.poll(() => heard('one.service', `got ${signal}`) && heard('two.service', `got ${signal}`)).toBe(true);
    }
    // PID 1 has no handler for SIGQUIT: the kernel drops it; nothing dies and nothing is forwarded.
    d.signal('SIGQUIT');
    expect((await d.cli('is-active', 'one.service', 'two.service')).stdout).toBe('active\nactive\n');
    d.signal('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(heard('one.service', 'got SIGQUIT') || heard('two.service', 'got SIGQUIT')).toBe(false);
  });
});
