// Timer units with real services on the fake clock (systemd.timer(5)): when they elapse, what they
// start, and the states and messages systemd 252 shows for them (checked through the oracle).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FakeClock, Supervisor } from '../../src/api/index.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';
import { formatListTimers, listTimersJson } from '../../src/cli/format/list-timers.js';
import { formatStatus } from '../../src/cli/format/status.js';

const HOUR = 3600e6;
const DAY = 24 * HOUR;
/** Noon UTC, so that "daily" is 12 hours away. */
const NOON = Date.parse('2026-03-02T12:00:00Z');

const dirs: string[] = [];
afterEach(async () => {
  await shutdownSupervisors();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  await expectNoLeakedProcesses();
});

async function boot(files: Record<string, string>, options: { wallMs?: number; stateDirectory?: string } = {}): Promise<{ sv: Supervisor; clock: FakeClock }> {
  const clock = new FakeClock(1_000_000, options.wallMs ?? NOON);
  const { sv } = await supervise(files, { clock, ...(options.stateDirectory ? { stateDirectory: options.stateDirectory } : {}) });
  return { sv, clock };
}

const BACKUP = {
  'backup.timer': '[Unit]\nDescription=Nightly backup\n[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n',
  'backup.service': '[Unit]\nDescription=Backup job\n[Service]\nType=oneshot\nExecStart=/bin/echo backing up\n',
};

describe('OnCalendar= on the fake clock', () => {
  test('a day later backup.service has run exactly once, and the timer waits for the next night', async () => {
    const { sv, clock } = await boot(BACKUP);
    await sv.start('backup.timer');
    expect(sv.show('backup.timer')).toMatchObject({ ActiveState: 'active', SubState: 'waiting', NextElapseUSecRealtime: 'Tue 2026-03-03 00:00:00 UTC', Triggers: 'backup.service' });
    expect(sv.show('backup.service')['TriggeredBy']).toBe('backup.timer');
    expect(messagesOf(sv, 'backup.service')).toEqual([]);

    clock.advance(DAY);
    await sv.waitForOutput('backup.service', 'backing up');
    await sv.waitFor('backup.timer', (info) => info.subState === 'waiting');
    expect(messagesOf(sv, 'backup.service')).toEqual(['Starting backup.service - Backup job...', 'backup.service: Deactivated successfully.', 'Finished backup.service - Backup job.']);
    expect(sv.output('backup.service')).toEqual(['backing up']);
    expect(sv.show('backup.timer')).toMatchObject({ NextElapseUSecRealtime: 'Wed 2026-03-04 00:00:00 UTC', LastTriggerUSec: expect.stringMatching(/^Tue 2026-03-03 00:0\d:\d\d UTC$/), Result: 'success' });
    expect(messagesOf(sv, 'backup.timer')).toEqual(['Started backup.timer - Nightly backup.']);
  });

  test('a still running service is not started a second time when the timer elapses again', async () => {
    const { sv, clock } = await boot({
      'tick.timer': '[Timer]\nOnCalendar=hourly\nAccuracySec=1s\n',
      'tick.service': '[Service]\nExecStart=/bin/sleep 3600\n',
    });
    await sv.start('tick.timer');
    clock.advance(HOUR + 1e6);
    await sv.waitFor('tick.service', 'active');
    expect(sv.show('tick.timer')['SubState']).toBe('running');
    clock.advance(3 * HOUR);
    await new Promise((resolve) => setImmediate(resolve));
    expect(messagesOf(sv, 'tick.service')).toEqual(['Started tick.service.']);
    expect(sv.show('tick.timer')).toMatchObject({ SubState: 'running', NextElapseUSecRealtime: '' });
    await sv.stop('tick.service');
    await sv.waitFor('tick.timer', (info) => info.subState === 'waiting');
    // Counted from the last trigger (13:00), as systemd does: the hours missed meanwhile make one run, due now.
    expect(sv.show('tick.timer')['NextElapseUSecRealtime']).toBe('Mon 2026-03-02 14:00:00 UTC');
  });
});

describe('monotonic timers', () => {
  test('OnActiveSec= with RemainAfterElapse=no: the timer ends after its one run', async () => {
    const { sv, clock } = await boot({
      'once.timer': '[Timer]\nOnActiveSec=30min\nAccuracySec=1ms\nRemainAfterElapse=no\n',
      'once.service': '[Service]\nType=oneshot\nExecStart=/bin/true\n',
    });
    await sv.start('once.timer');
    expect(sv.show('once.timer')).toMatchObject({ SubState: 'waiting', NextElapseUSecMonotonic: '30min 1s', TimersMonotonic: '{ OnActiveUSec=30min ; next_elapse=30min 1s }' });
    clock.advance(HOUR);
    await sv.waitFor('once.timer', 'inactive');
    expect(messagesOf(sv, 'once.service')).toEqual(['Starting once.service...', 'once.service: Deactivated successfully.', 'Finished once.service.']);
    expect(messagesOf(sv, 'once.timer')).toEqual(['Started once.timer.', 'once.timer: Deactivated successfully.']);
  });

  test('OnUnitActiveSec= repeats relative to the last start; the timer stays elapsed-able while it waits', async () => {
    const { sv, clock } = await boot({
      'poll.timer': '[Timer]\nOnActiveSec=1min\nOnUnitActiveSec=10min\nAccuracySec=1ms\n',
      'poll.service': '[Service]\nType=oneshot\nExecStart=/bin/echo poll\n',
    });
    await sv.start('poll.timer');
    for (let run = 1; run <= 3; run++) {
      clock.advance(10 * 60e6 + 1e6);
      await sv.waitFor('poll.timer', (info) => info.subState === 'waiting' && sv.output('poll.service').length === run);
    }
    expect(sv.output('poll.service')).toEqual(['poll', 'poll', 'poll']);
  });
});

describe('refusals and bad input', () => {
  test('a unit to trigger that does not exist: the start fails as systemd says', async () => {
    const { sv } = await boot({ 'missing.timer': '[Timer]\nOnActiveSec=1s\nUnit=nothere.service\n' });
    const outcome = await sv.enqueue('start', 'missing.timer').finished;
    expect(outcome).toMatchObject({ kind: 'finished', result: 'failed' });
    expect(sv.show('missing.timer')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead' });
    expect(messagesOf(sv, 'missing.timer')).toEqual(['missing.timer: Refusing to start, unit nothere.service to trigger not loaded.', 'Failed to start missing.timer.']);
  });

  test('a timer without any value is a bad setting; a bad OnCalendar= is ignored with file:line and the rest loads', async () => {
    const { sv } = await boot({
      'noval.timer': '[Timer]\nAccuracySec=1ms\n',
      'bad.timer': '[Timer]\nOnCalendar=bad spec\nOnCalendar=*-*-* 03:00\n',
      'bad.service': '[Service]\nExecStart=/bin/true\n',
      'noval.service': '[Service]\nExecStart=/bin/true\n',
    });
    expect(sv.diagnostics).toEqual(
      expect.arrayContaining([expect.stringMatching(/bad\.timer:2: Failed to parse calendar specification, ignoring: bad spec$/), 'noval.timer: Timer unit lacks value setting. Refusing.']),
    );
    expect(sv.show('noval.timer')['LoadState']).toBe('bad-setting');
    await sv.start('bad.timer');
    expect(sv.show('bad.timer')).toMatchObject({ TimersCalendar: '{ OnCalendar=*-*-* 03:00:00 ; next_elapse=Tue 2026-03-03 03:00:00 UTC }' });
  });
});

describe('no start rate limit', () => {
  test('a timer (and a socket) started and stopped eight times in a row starts every time, as in systemd 252', async () => {
    const { sv } = await boot({ ...BACKUP, 'ctl.socket': `[Socket]\nListenStream=@unitvisor-test-${process.pid}-ctl\n`, 'ctl.service': '[Service]\nExecStart=/bin/true\n' });
    for (let i = 0; i < 8; i++) {
      for (const unit of ['backup.timer', 'ctl.socket']) {
        await sv.start(unit);
        await sv.stop(unit);
      }
    }
    await sv.start('backup.timer');
    await sv.start('ctl.socket');
    expect(sv.show('backup.timer')).toMatchObject({ ActiveState: 'active', SubState: 'waiting', Result: 'success' });
    expect(sv.show('ctl.socket')).toMatchObject({ ActiveState: 'active', SubState: 'listening', Result: 'success' });
    expect(messagesOf(sv, 'backup.timer').filter((m) => m.startsWith('Started '))).toHaveLength(9);
  });
});

describe('Persistent=', () => {
  test('a run missed while the supervisor was down happens at the next start; the stamp keeps the last trigger', async () => {
    const stateDirectory = mkdtempSync(join(tmpdir(), 'unitvisor-state-'));
    dirs.push(stateDirectory);
    const files = { ...BACKUP, 'backup.timer': BACKUP['backup.timer'].replace('OnCalendar=daily', 'OnCalendar=daily\nPersistent=yes') };
    const first = await boot(files, { stateDirectory });
    await first.sv.start('backup.timer');
    const stamp = join(stateDirectory, 'timers', 'stamp-backup.timer');
    expect(statSync(stamp).mtimeMs).toBe(NOON);
    await first.sv.shutdown();

    // Two days later: the nights in between were missed, so one run is due at once.
    const second = await boot(files, { stateDirectory, wallMs: NOON + 2 * 86_400_000 });
    await second.sv.start('backup.timer');
    expect(second.sv.show('backup.timer')['NextElapseUSecRealtime']).toBe('Wed 2026-03-04 12:00:00 UTC');
    second.clock.advance(60e6);
    await second.sv.waitForOutput('backup.service', 'backing up');
    await second.sv.waitFor('backup.timer', (info) => info.subState === 'waiting');
    expect(second.sv.output('backup.service')).toEqual(['backing up']);
    expect(statSync(stamp).mtimeMs).toBeGreaterThan(NOON + 2 * 86_400_000);
  });
});

describe('as systemctl prints them', () => {
  test('list-timers and status: NEXT/LEFT/LAST/PASSED, Trigger:, Triggers: and TriggeredBy:', async () => {
    const { sv, clock } = await boot({ ...BACKUP, 'idle.timer': '[Timer]\nOnActiveSec=1h\n', 'idle.service': '[Service]\nExecStart=/bin/true\n' });
    await sv.start('backup.timer');
    const now = clock.wallNow();
    // Nothing references idle.timer: it is loaded only while asked about, as systemctl status loads it.
    sv.status('idle.timer');
    const timers = () => sv.listUnits({ all: true, patterns: ['*.timer'] });
    // Column widths and wording from systemd 252's list-timers (checked through the oracle).
    expect(formatListTimers(timers(), true, now).split('\n')).toEqual([
      'NEXT                        LEFT     LAST PASSED UNIT         ACTIVATES',
      'Tue 2026-03-03 00:00:00 UTC 12h left -    -      backup.timer backup.service',
      '-                           -        -    -      idle.timer   idle.service',
      '',
      '2 timers listed.',
    ]);
    expect(formatListTimers(timers().filter((t) => t.activeState !== 'inactive'), false, now).split('\n').slice(-2)).toEqual(['1 timers listed.', 'Pass --all to see loaded but inactive timers, too.']);
    // list-timers --json, as systemd 252 printed it (oracle): µs timestamps, 0 for none, ACTIVATES the unit's name:
    //   [{"next":1796612400000000,"left":1796612400000000,"last":0,"passed":0,"unit":"backup.timer","activates":"backup.service"}]
    const next = Date.UTC(2026, 2, 3) * 1000;
    expect(listTimersJson(timers())).toEqual([
      { next, left: next, last: 0, passed: 0, unit: 'backup.timer', activates: 'backup.service' },
      { next: 0, left: 0, last: 0, passed: 0, unit: 'idle.timer', activates: 'idle.service' },
    ]);
    const ctx = { nowMs: now, hostname: 'host', daemonPid: 1 };
    const status = (unit: string) => formatStatus(sv.status(unit)!, [], ctx).split('\n');
    expect(status('backup.timer').slice(2)).toEqual(['     Active: active (waiting) since Mon 2026-03-02 12:00:00 UTC; now', '    Trigger: Tue 2026-03-03 00:00:00 UTC; 12h left', '   Triggers: ● backup.service']);
    expect(status('backup.service')).toContain('TriggeredBy: ● backup.timer');
    expect(status('idle.timer')).toContain('    Trigger: n/a');
  });
});

describe('on the real clock', () => {
  test('AccuracySec=1ms: OnActiveSec= then OnUnitInactiveSec= start the service again and again', async () => {
    const { sv } = await supervise({
      'beat.timer': '[Timer]\nOnActiveSec=50ms\nOnUnitInactiveSec=100ms\nAccuracySec=1ms\n',
      'beat.service': '[Service]\nType=oneshot\nExecStart=/bin/echo beat\n',
    });
    await sv.start('beat.timer');
    await expect.poll(() => sv.output('beat.service').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    expect(sv.show('beat.timer')['LastTriggerUSec']).not.toBe('');
    await sv.stop('beat.timer');
    expect(messagesOf(sv, 'beat.timer').slice(-2)).toEqual(['beat.timer: Deactivated successfully.', 'Stopped beat.timer.']);
  });
});
