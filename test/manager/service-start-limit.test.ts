// StartLimitIntervalSec=/StartLimitBurst= with real processes: manual starts, auto-restart exhaustion,
// reset-failed and StartLimitAction= (systemd.unit(5); journal and properties as systemd 252 shows them).
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { puppet } from '../helpers/use-tmp-units.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {

  await shutdownSupervisors();

  await expectNoLeakedProcesses();

});

test('the defaults are 10s/5 and the sixth manual start within them fails with start-limit-hit', async () => {
  const { sv } = await supervise({ 'q.service': '[Service]\nType=oneshot\nExecStart=/bin/true\n' });
  expect(sv.show('q.service')).toMatchObject({ StartLimitBurst: '5', StartLimitIntervalUSec: '10s', StartLimitAction: 'none' });
  for (let i = 0; i < 5; i++) expect(await tryStart(sv, 'q.service')).toMatchObject({ result: 'done' });
  expect(await tryStart(sv, 'q.service')).toMatchObject({ result: 'failed', serviceResult: 'start-limit-hit' });
  expect(sv.show('q.service')).toMatchObject({ ActiveState: 'failed', SubState: 'failed', Result: 'start-limit-hit' });
  expect(messagesOf(sv, 'q.service').slice(-3)).toEqual([
    'q.service: Start request repeated too quickly.',
    "q.service: Failed with result 'start-limit-hit'.",
    'Failed to start q.service.',
  ]);
  // reset-failed clears the failure and the counter: the unit starts again.
  sv.resetFailed('q.service');
  expect(sv.show('q.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success' });
  expect(await tryStart(sv, 'q.service')).toMatchObject({ result: 'done' });
});

test('auto-restarts exhaust the burst: failed with the last run\'s Result, NRestarts counting each restart', async () => {
  const { sv } = await supervise({
    'r.service': `[Unit]\nStartLimitBurst=3\n[Service]\nExecStart=${puppet('exit-with', 1, '--after', 50)}\nRestart=on-failure\nRestartSec=50ms\n`,
  });
  await sv.start('r.service');
  await sv.waitFor('r.service', 'failed', { timeout: 5000 });
  expect(sv.show('r.service')).toMatchObject({ ActiveState: 'failed', SubState: 'failed', Result: 'exit-code', NRestarts: '3' });
  const messages = messagesOf(sv, 'r.service');
  expect(messages.filter((m) => m.startsWith('r.service: Scheduled restart job'))).toEqual([1, 2, 3].map((n) => `r.service: Scheduled restart job, restart counter is at ${n}.`));
  expect(messages.slice(-5)).toEqual([
    'r.service: Scheduled restart job, restart counter is at 3.',
    'Stopped r.service.',
    'r.service: Start request repeated too quickly.',
    "r.service: Failed with result 'exit-code'.",
    'Failed to start r.service.',
  ]);
  // A manual start now is refused too; the sticky Result and NRestarts stay as they were (oracle).
  expect(await tryStart(sv, 'r.service')).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
  expect(sv.show('r.service')).toMatchObject({ ActiveState: 'failed', Result: 'exit-code', NRestarts: '3' });
  sv.resetFailed('r.service');
  expect(sv.show('r.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success', NRestarts: '0' });
  await sv.start('r.service');
  await sv.stop('r.service');
});

test('StartLimitIntervalSec=0 disables the limit; StartLimitAction=none only fails the start', async () => {
  const { sv } = await supervise({
    'free.service': '[Unit]\nStartLimitIntervalSec=0\nStartLimitBurst=1\n[Service]\nType=oneshot\nExecStart=/bin/true\n',
    'act.service': '[Unit]\nStartLimitBurst=1\nStartLimitAction=none\n[Service]\nType=oneshot\nExecStart=/bin/true\n',
    'other.service': '[Service]\nExecStart=/bin/sleep 30\n',
  });
  await sv.start('other.service');
  for (let i = 0; i < 4; i++) expect(await tryStart(sv, 'free.service')).toMatchObject({ result: 'done' });
  expect(await tryStart(sv, 'act.service')).toMatchObject({ result: 'done' });
  expect(await tryStart(sv, 'act.service')).toMatchObject({ result: 'failed', serviceResult: 'start-limit-hit' });
  expect(sv.activeState('other.service')).toBe('active');
  await sv.stop('other.service');
});
