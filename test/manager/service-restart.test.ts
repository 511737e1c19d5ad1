// Restart= against every exit cause with real processes: the 35 cells of systemd.service(5)'s table, how each
// end is classified, RestartPreventExitStatus=/RestartForceExitStatus=, manual stops and RestartSec= (systemd 252,
// messages and states checked with the oracle).
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { Supervisor } from '../../src/api/index.js';
import { expectNoLeakedProcesses, survivingProcesses } from '../helpers/processes.js';
import { puppet } from '../helpers/use-tmp-units.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

const MODES = ['no', 'always', 'on-success', 'on-failure', 'on-abnormal', 'on-abort', 'on-watchdog'] as const;
type Mode = (typeof MODES)[number];
const CAUSES = ['clean', 'exit-code', 'signal', 'timeout', 'watchdog'] as const;
type Cause = (typeof CAUSES)[number];

const X = true;
const _ = false;
/** The seed article's table, row by row ("Exit causes and the effect of the Restart settings on them"). */
const TABLE: Readonly<Record<Cause, readonly boolean[]>> = {
  //          no always on-success on-failure on-abnormal on-abort on-watchdog
  clean:       [_, X, X, _, _, _, _],
  'exit-code': [_, X, _, X, _, _, _],
  signal:      [_, X, _, X, X, X, _],
  timeout:     [_, X, _, X, X, _, _],
  watchdog:    [_, X, _, X, X, _, X],
};

/** Each cause made by a real process; StartLimitIntervalSec=0 so that a restarting cell never hits the limit. */
const CAUSE_UNIT: Readonly<Record<Cause, { service: string; result: string; exitLine?: string }>> = {
  clean: { service: `ExecStart=${puppet('exit-with', 0, '--after', 100)}`, result: 'success' },
  'exit-code': { service: `ExecStart=${puppet('exit-with', 1, '--after', 100)}`, result: 'exit-code', exitLine: 'Main process exited, code=exited, status=1/FAILURE' },
  signal: { service: `ExecStart=${puppet('exit-with', 'SIGKILL', '--after', 100)}`, result: 'signal', exitLine: 'Main process exited, code=killed, status=9/KILL' },
  // A notify service that never says READY=1.
  timeout: { service: 'Type=notify\nExecStart=/bin/sleep 30\nTimeoutStartSec=200ms', result: 'timeout' },
  // Never pings; SIGKILL instead of the default SIGABRT keeps the cell free of core files.
  watchdog: { service: 'ExecStart=/bin/sleep 30\nWatchdogSec=200ms\nWatchdogSignal=SIGKILL', result: 'watchdog' },
};

const CELLS = CAUSES.flatMap((cause) => MODES.map((mode, i) => ({ cause, mode, restarts: TABLE[cause][i]! })));
const unitOf = (cause: Cause, mode: Mode) => `${cause}-${mode}.service`;

describe('Restart= × exit cause: all 35 cells', () => {
  let sv: Supervisor;
  beforeAll(async () => {
    const units = Object.fromEntries(
      CELLS.map(({ cause, mode }) => [unitOf(cause, mode), `[Unit]\nStartLimitIntervalSec=0\n[Service]\n${CAUSE_UNIT[cause].service}\nRestart=${mode}\n`]),
    );
    sv = await Supervisor.boot({ units });
  });
  afterAll(async () => {
    await sv.shutdown();
    await vi.waitFor(() => expect(survivingProcesses()).toEqual([]), { timeout: 3000, interval: 25 });
  });

  // Concurrent tests must use their context's expect.
  test.concurrent.for(CELLS)('$cause with Restart=$mode restarts: $restarts', async ({ cause, mode, restarts }, { expect }) => {
    const unit = unitOf(cause, mode);
    const { result, exitLine } = CAUSE_UNIT[cause];
    const outcome = await tryStart(sv, unit);
    // Only the start timeout fails the start job itself.
    expect(outcome).toMatchObject({ result: cause === 'timeout' ? 'failed' : 'done' });
    if (restarts) {
      await expect.poll(() => messagesOf(sv, unit), { timeout: 5000 }).toContain(`${unit}: Scheduled restart job, restart counter is at 1.`);
      expect(Number(sv.show(unit)['NRestarts'])).toBeGreaterThanOrEqual(1);
      await sv.stop(unit);
    } else {
      const end = await sv.waitFor(unit, (i) => i.subState === 'dead' || i.subState === 'failed', { timeout: 5000 });
      expect(end.subState).toBe(result === 'success' ? 'dead' : 'failed');
      expect(sv.show(unit)).toMatchObject({ Result: result, NRestarts: '0' });
    }
    const messages = messagesOf(sv, unit);
    if (exitLine) expect(messages).toContain(`${unit}: ${exitLine}`);
    expect(messages).toContain(result === 'success' ? `${unit}: Deactivated successfully.` : `${unit}: Failed with result '${result}'.`);
    if (!restarts) expect(messages.some((m) => m.includes('Scheduled restart job'))).toBe(false);
  });
});

describe('classification of an end (is_clean_exit) seen through Restart=on-success', () => {
  afterEach(async () => {
    await shutdownSupervisors();
    await expectNoLeakedProcesses();
  });

  const ENDS = [
    { how: 'exit 0', exec: puppet('exit-with', 0, '--after', 50), extra: '', result: 'success', line: undefined },
    { how: 'SIGHUP', exec: puppet('exit-with', 'SIGHUP', '--after', 50), extra: '', result: 'success', line: 'code=killed, status=1/HUP' },
    { how: 'SIGINT', exec: puppet('exit-with', 'SIGINT', '--after', 50), extra: '', result: 'success', line: 'code=killed, status=2/INT' },
    { how: 'SIGTERM', exec: puppet('exit-with', 'SIGTERM', '--after', 50), extra: '', result: 'success', line: 'code=killed, status=15/TERM' },
    // Node ignores SIGPIPE; dash does not.
    { how: 'SIGPIPE', exec: "/bin/sh -c 'sleep 0.05; kill -PIPE $$$$'", extra: '', result: 'success', line: 'code=killed, status=13/PIPE' },
    { how: 'exit 42 in SuccessExitStatus=', exec: puppet('exit-with', 42, '--after', 50), extra: 'SuccessExitStatus=42', result: 'success', line: 'code=exited, status=42/n/a' },
    { how: 'SIGUSR2 in SuccessExitStatus=', exec: puppet('exit-with', 'SIGUSR2', '--after', 50), extra: 'SuccessExitStatus=SIGUSR2', result: 'success', line: 'code=killed, status=12/USR2' },
    { how: 'exit 3', exec: puppet('exit-with', 3, '--after', 50), extra: '', result: 'exit-code', line: 'code=exited, status=3/NOTIMPLEMENTED' },
    { how: 'SIGKILL', exec: puppet('exit-with', 'SIGKILL', '--after', 50), extra: '', result: 'signal', line: 'code=killed, status=9/KILL' },
  ] as const;

  test.each(ENDS)('$how → Result=$result', async ({ exec, extra, result, line }) => {
    const { sv, units } = await supervise({});
    units.write('e.service', `[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=${exec}\n${extra}\nRestart=on-success\nRestartSec=50ms\n`);
    await sv.reload();
    await sv.start('e.service');
    const clean = result === 'success';
    if (clean) await expect.poll(() => messagesOf(sv, 'e.service'), { timeout: 5000 }).toContain('e.service: Scheduled restart job, restart counter is at 1.');
    else await sv.waitFor('e.service', 'failed', { timeout: 5000 });
    await sv.stop('e.service');
    const messages = messagesOf(sv, 'e.service');
    // A clean end logs its exit at debug level only, as systemd does ("... (success)").
    if (line !== undefined) expect(messages.includes(`e.service: Main process exited, ${line}`)).toBe(!clean);
    if (!clean) expect(sv.show('e.service')).toMatchObject({ ActiveState: 'failed', Result: result, NRestarts: '0' });
  });
});

describe('restart rules beyond the table', () => {
  afterEach(async () => {
    await shutdownSupervisors();
    await expectNoLeakedProcesses();
  });

  test('RestartPreventExitStatus= keeps Restart=always from restarting; RestartForceExitStatus= restarts under Restart=no', async () => {
    const { sv } = await supervise({
      'prevent.service': `[Service]\nExecStart=${puppet('exit-with', 7, '--after', 50)}\nRestart=always\nRestartPreventExitStatus=7\n`,
      'force.service': `[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=${puppet('exit-with', 'SIGTERM', '--after', 50)}\nRestart=no\nRestartForceExitStatus=SIGTERM\n`,
    });
    await sv.start('prevent.service');
    await sv.start('force.service');
    await sv.waitFor('prevent.service', 'failed');
    expect(sv.show('prevent.service')).toMatchObject({ Result: 'exit-code', NRestarts: '0', ExecMainStatus: '7' });
    await expect.poll(() => messagesOf(sv, 'force.service')).toContain('force.service: Scheduled restart job, restart counter is at 1.');
    await sv.stop('force.service');
  });

  test('a manual stop never restarts, even with Restart=always, and a kill does', async () => {
    const { sv } = await supervise({ 'a.service': '[Service]\nExecStart=/bin/sleep 30\nRestart=always\n' });
    await sv.start('a.service');
    const first = sv.status('a.service')!.mainPid;
    sv.kill('a.service', 9);
    await sv.waitFor('a.service', (i) => i.subState === 'running' && i.mainPid !== first);
    expect(sv.show('a.service')).toMatchObject({ NRestarts: '1', Result: 'success' });
    expect(messagesOf(sv, 'a.service')).toEqual([
      'Started a.service.',
      'a.service: Main process exited, code=killed, status=9/KILL',
      "a.service: Failed with result 'signal'.",
      'a.service: Scheduled restart job, restart counter is at 1.',
      'Stopped a.service.',
      'Started a.service.',
    ]);
    await sv.stop('a.service');
    expect(sv.show('a.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success' });
    expect(messagesOf(sv, 'a.service').slice(-3)).toEqual(['Stopping a.service...', 'a.service: Deactivated successfully.', 'Stopped a.service.']);
  });

  test('a stop while waiting in auto-restart cancels the restart', async () => {
    const { sv } = await supervise({ 'w.service': `[Service]\nExecStart=${puppet('exit-with', 1)}\nRestart=on-failure\nRestartSec=1h\n` });
    await sv.start('w.service');
    await sv.waitFor('w.service', (i) => i.subState === 'auto-restart');
    expect(sv.show('w.service')).toMatchObject({ ActiveState: 'activating', SubState: 'auto-restart', Result: 'exit-code' });
    await sv.stop('w.service');
    expect(sv.show('w.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', NRestarts: '0' });
    expect(messagesOf(sv, 'w.service').some((m) => m.includes('Scheduled restart'))).toBe(false);
  });

  test('RestartSec= defaults to 100ms and is waited for', async () => {
    const { sv } = await supervise({
      'd.service': `[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=${puppet('exit-with', 1)}\nRestart=on-failure\n`,
      's.service': `[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=${puppet('exit-with', 1)}\nRestart=on-failure\nRestartSec=600ms\n`,
    });
    expect(sv.show('d.service')['RestartUSec']).toBe('100ms');
    const entered = new Map<string, number>();
    const scheduled = new Map<string, number>();
    sv.on((e) => {
      if (e.kind === 'state' && e.sub === 'auto-restart' && e.unit !== undefined && !entered.has(e.unit)) entered.set(e.unit, Date.now());
      if (e.kind === 'log' && e.msg.endsWith('restart counter is at 1.') && e.unit !== undefined && !scheduled.has(e.unit)) scheduled.set(e.unit, Date.now());
    });
    await sv.start('d.service');
    await sv.start('s.service');
    await expect.poll(() => scheduled.size, { timeout: 5000 }).toBe(2);
    const waited = (u: string) => scheduled.get(u)! - entered.get(u)!;
    expect(waited('d.service')).toBeGreaterThanOrEqual(95);
    expect(waited('d.service')).toBeLessThan(waited('s.service'));
    expect(waited('s.service')).toBeGreaterThanOrEqual(595);
    await sv.stop('d.service');
    await sv.stop('s.service');
  });

  test('systemctl start of a failing oneshot with Restart=on-failure fails at once; a simple one succeeds (as systemd 252)', async () => {
    const { sv } = await supervise({
      'o.service': "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'exit 1'\nRestart=on-failure\nRestartSec=1h\n",
      's.service': "[Service]\nExecStart=/bin/sh -c 'sleep 0.2; exit 1'\nRestart=on-failure\nRestartSec=1h\n",
    });
    expect(await tryStart(sv, 'o.service')).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
    // It passed through failed (the job saw it) and now waits in auto-restart.
    expect(sv.show('o.service')).toMatchObject({ ActiveState: 'activating', SubState: 'auto-restart', Result: 'exit-code', NRestarts: '0' });
    expect(messagesOf(sv, 'o.service')).toEqual([
      'Starting o.service...',
      'o.service: Main process exited, code=exited, status=1/FAILURE',
      "o.service: Failed with result 'exit-code'.",
      'Failed to start o.service.',
    ]);
    expect(await tryStart(sv, 's.service')).toMatchObject({ result: 'done' });
    await sv.waitFor('s.service', (i) => i.subState === 'auto-restart');
    await sv.stop('o.service');
    await sv.stop('s.service');
  });
});
