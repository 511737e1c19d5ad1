// TimeoutStartSec=, TimeoutSec=, RuntimeMaxSec= and WatchdogSec= with real processes: the messages, states and
// Result=timeout/watchdog systemd 252 shows (checked with the oracle).
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {

  await shutdownSupervisors();

  await expectNoLeakedProcesses();

});

test('TimeoutStartSec=: a start that never completes is terminated and fails with Result=timeout', async () => {
  const { sv } = await supervise({ 't.service': '[Service]\nType=notify\nExecStart=/bin/sleep 30\nTimeoutStartSec=300ms\n' });
  const began = Date.now();
  expect(await tryStart(sv, 't.service')).toMatchObject({ result: 'failed', serviceResult: 'timeout' });
  expect(Date.now() - began).toBeGreaterThanOrEqual(290);
  expect(sv.show('t.service')).toMatchObject({ ActiveState: 'failed', SubState: 'failed', Result: 'timeout', TimeoutStartUSec: '300ms' });
  expect(messagesOf(sv, 't.service')).toEqual([
    'Starting t.service...',
    't.service: start operation timed out. Terminating.',
    "t.service: Failed with result 'timeout'.",
    'Failed to start t.service.',
  ]);
});

test('TimeoutSec= sets both the start and the stop timeout', async () => {
  const { sv } = await supervise({ 'b.service': '[Service]\nType=notify\nExecStart=/bin/sleep 30\nTimeoutSec=400ms\n' });
  expect(sv.show('b.service')).toMatchObject({ TimeoutStartUSec: '400ms', TimeoutStopUSec: '400ms' });
  expect(await tryStart(sv, 'b.service')).toMatchObject({ result: 'failed', serviceResult: 'timeout' });
});

test('RuntimeMaxSec=: a running service is stopped at its limit with Result=timeout', async () => {
  const { sv } = await supervise({ 'r.service': '[Service]\nExecStart=/bin/sleep 30\nRuntimeMaxSec=300ms\n' });
  await sv.start('r.service');
  const began = Date.now();
  await sv.waitFor('r.service', 'failed');
  expect(Date.now() - began).toBeGreaterThanOrEqual(250);
  expect(sv.show('r.service')).toMatchObject({ Result: 'timeout', SubState: 'failed' });
  expect(messagesOf(sv, 'r.service')).toEqual([
    'Started r.service.',
    'r.service: Service reached runtime time limit. Stopping.',
    "r.service: Failed with result 'timeout'.",
  ]);
});

test('WatchdogSec=: a missed keep-alive kills the main process with WatchdogSignal= (SIGABRT) and Result=watchdog', async () => {
  const { sv } = await supervise({ 'w.service': '[Service]\nExecStart=/bin/sleep 30\nWatchdogSec=300ms\n' });
  await sv.start('w.service');
  const pid = sv.status('w.service')!.mainPid;
  await sv.waitFor('w.service', 'failed');
  expect(sv.show('w.service')).toMatchObject({ Result: 'watchdog', WatchdogUSec: '300ms', ExecMainStatus: '6' });
  const messages = messagesOf(sv, 'w.service');
  expect(messages.slice(0, 3)).toEqual([
    'Started w.service.',
    'w.service: Watchdog timeout (limit 300ms)!',
    `w.service: Killing process ${pid} (sleep) with signal SIGABRT.`,
  ]);
  // code=dumped where core files are allowed, code=killed otherwise.
  expect(messages[3]).toMatch(/^w\.service: Main process exited, code=(killed|dumped), status=6\/ABRT$/);
  expect(messages[4]).toBe("w.service: Failed with result 'watchdog'.");
});
