// Type=notify and sd_notify(3) with real clients: systemd's own `systemd-notify` and unitvisor's `notify()`;
// READY/STATUS/MAINPID/RELOADING/STOPPING/ERRNO/WATCHDOG_USEC/EXTEND_TIMEOUT_USEC and NotifyAccess= by sender
// PID (systemd.service(5) NotifyAccess=; messages and properties checked against systemd 252).
import { afterEach, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { puppet } from '../helpers/use-tmp-units.js';
import { loadNative } from '../../src/process/native.js';
import { readProcStat } from '../../src/process/process-tree.js';
import { notify } from '../../src/api/sd-notify.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

describe('Type=notify', () => {
  test('unitvisor\'s notify(): the start completes at READY=1, STATUS= is StatusText', async () => {
    const { sv } = await supervise({ 'n.service': `[Service]\nType=notify\nExecStart=${puppet('notify-api', '--delay', 300, '"STATUS=Warming up"', '"READY=1\\nSTATUS=Serving"')}\n` });
    const started = Date.now();
    const { finished } = sv.enqueue('start', 'n.service');
    await expect.poll(() => sv.show('n.service')['StatusText']).toBe('Warming up');
    expect(sv.show('n.service')).toMatchObject({ ActiveState: 'activating', SubState: 'start' });
    await finished;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sv.show('n.service')).toMatchObject({ ActiveState: 'active', SubState: 'running', StatusText: 'Serving', NotifyAccess: 'main', Type: 'notify' });
    expect(messagesOf(sv, 'n.service')).toEqual(['Starting n.service...', 'Started n.service.']);
  });

  test('the real systemd-notify from a shell script (sent on behalf of its parent, the main process)', async () => {
    const { sv } = await supervise({ 's.service': "[Service]\nType=notify\nExecStart=/bin/sh -c 'systemd-notify --status=\"Working hard\"; sleep 0.3; systemd-notify --ready; exec sleep 30'\n" });
    const started = Date.now();
    await sv.start('s.service');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sv.show('s.service')).toMatchObject({ ActiveState: 'active', SubState: 'running', StatusText: 'Working hard' });
  });

  test('NotifyAccess=main refuses another process\'s READY=1, and the start times out', async () => {
    // The inner shell is systemd-notify's parent, so the datagram comes from it, not from the main process.
    const { sv } = await supervise({ 'm.service': "[Service]\nType=notify\nTimeoutStartSec=2\nExecStart=/bin/sh -c '/bin/sh -c \"systemd-notify --ready\"; exec sleep 30'\n" });
    expect(await tryStart(sv, 'm.service')).toMatchObject({ result: 'failed', serviceResult: 'timeout' });
    const main = sv.show('m.service')['ExecMainPID'];
    const msgs = messagesOf(sv, 'm.service');
    expect(msgs.find((m) => m.includes('notification'))).toMatch(new RegExp(`^m\\.service: Got notification message from PID \\d+, but reception only permitted for main PID ${main}$`));
    expect(msgs.filter((m) => !m.includes('notification'))).toEqual([
      'Starting m.service...',
      'm.service: start operation timed out. Terminating.',
      "m.service: Failed with result 'timeout'.",
      'Failed to start m.service.',
    ]);
    expect(sv.show('m.service')).toMatchObject({ ActiveState: 'failed', Result: 'timeout', ExecMainCode: '2', ExecMainStatus: '15' });
  });

  test('NotifyAccess=all accepts any process of the unit', async () => {
    // The sender stays alive: one that exits at once may be gone before its pid is matched to the unit
    // (systemd has the same race; sd_notify_barrier() / systemd-notify's BARRIER=1 wait closes it).
    const { sv } = await supervise({ 'a.service': `[Service]\nType=notify\nNotifyAccess=all\nExecStart=/bin/sh -c '${puppet('notify-api', '"STATUS=from a child"', 'READY=1')} & exec sleep 30'\n` });
    await sv.start('a.service');
    expect(sv.show('a.service')).toMatchObject({ ActiveState: 'active', StatusText: 'from a child' });
  });

  test('NotifyAccess=exec accepts a control process (ExecStartPost=); under main, control processes get no $NOTIFY_SOCKET', async () => {
    // service_exec_needs_notify_socket(): main processes unless none; control processes only for exec and all.
    const { sv } = await supervise({
      'e.service': "[Service]\nNotifyAccess=exec\nExecStart=/bin/sleep 30\nExecStartPost=/bin/sh -c 'systemd-notify STATUS=from-post'\n",
      'm.service': "[Service]\nNotifyAccess=main\nExecStart=/bin/sh -c 'echo main=$${NOTIFY_SOCKET:+set}; exec sleep 30'\nExecStartPost=/bin/sh -c 'echo post=$${NOTIFY_SOCKET-unset}'\n",
    });
    await sv.start('e.service');
    expect(sv.show('e.service')['StatusText']).toBe('from-post');
    await sv.start('m.service');
    await expect.poll(() => sv.output('m.service').sort()).toEqual(['main=set', 'post=unset']);
  });

  test('NotifyAccess=none (Type=simple) passes no $NOTIFY_SOCKET', async () => {
    const { sv } = await supervise({ 'z.service': `[Service]\nNotifyAccess=none\nExecStart=${puppet('notify-api', 'STATUS=ignored')}\n` });
    await sv.start('z.service');
    await sv.waitFor('z.service', 'failed', { timeout: 5000 });
    expect(sv.output('z.service')).toEqual(['NOTIFY_SOCKET is not set']);
  });

  test('Type=notify with NotifyAccess=none is upgraded to main, as systemd does', async () => {
    const { sv } = await supervise({ 'u.service': `[Service]\nType=notify\nNotifyAccess=none\nExecStart=${puppet('notify-api', 'READY=1')}\n` });
    await sv.start('u.service');
    expect(sv.show('u.service')).toMatchObject({ ActiveState: 'active', NotifyAccess: 'main' });
  });

  test('MAINPID= moves the main PID to a process that is not the manager\'s child', async () => {
    const { sv } = await supervise({ 'p.service': "[Service]\nType=notify\nNotifyAccess=all\nExecStart=/bin/sh -c 'sleep 30 & systemd-notify --ready MAINPID=$!; exec sleep 30'\n" });
    await sv.start('p.service');
    const main = Number(sv.show('p.service')['MainPID']);
    // The background sleep, the shell's child: ExecMainPID follows the main PID (exec_status_start()).
    expect(readProcStat(main)?.ppid).not.toBe(process.pid);
    expect(sv.show('p.service')['ExecMainPID']).toBe(String(main));
    expect(messagesOf(sv, 'p.service')).toEqual(['Starting p.service...', `p.service: Supervising process ${main} which is not our child. We'll most likely not notice when it exits.`, 'Started p.service.']);
  });

  test('RELOADING=1 enters reloading until READY=1; STOPPING=1 deactivates until the exit', async () => {
    const { sv } = await supervise({
      'r.service': `[Service]\nType=notify\nExecStart=${puppet('notify-api', '--delay', 400, 'READY=1', 'RELOADING=1', 'READY=1')}\n`,
      's.service': `[Service]\nType=notify\nExecStart=${puppet('notify-api', '--delay', 400, '--exit', 'READY=1', 'STOPPING=1')}\n`,
    });
    sv.enqueue('start', 'r.service');
    await sv.waitFor('r.service', 'reloading', { timeout: 5000 });
    expect(sv.show('r.service')).toMatchObject({ ActiveState: 'reloading', SubState: 'reload' });
    await sv.waitFor('r.service', 'active', { timeout: 5000 });
    sv.enqueue('start', 's.service');
    await sv.waitFor('s.service', 'deactivating', { timeout: 5000 });
    // service_enter_stop_by_notify(): "as if we SIGTERM'd it".
    expect(sv.show('s.service')).toMatchObject({ ActiveState: 'deactivating', SubState: 'stop-sigterm' });
    await sv.waitFor('s.service', 'inactive', { timeout: 5000 });
    expect(sv.show('s.service')).toMatchObject({ Result: 'success' });
    expect(messagesOf(sv, 's.service')).toEqual(['Starting s.service...', 'Started s.service.', 's.service: Deactivated successfully.']);
  });

  test('ERRNO= is StatusErrno, shown by status as "Error: 5 (Input/output error)"', async () => {
    const { sv } = await supervise({ 'e.service': `[Service]\nType=notify\nExecStart=${puppet('notify-api', '"READY=1\\nERRNO=5\\nSTATUS=bad io"')}\n` });
    await sv.start('e.service');
    expect(sv.show('e.service')).toMatchObject({ StatusText: 'bad io', StatusErrno: '5' });
  });

  test('EXTEND_TIMEOUT_USEC= lets a start outlive TimeoutStartSec=', async () => {
    const { sv } = await supervise({ 'x.service': `[Service]\nType=notify\nTimeoutStartSec=1\nExecStart=${puppet('notify-api', '--delay', 1500, 'EXTEND_TIMEOUT_USEC=3000000', 'READY=1')}\n` });
    const started = Date.now();
    await sv.start('x.service');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(sv.show('x.service')).toMatchObject({ ActiveState: 'active', Result: 'success' });
  });

  test('WATCHDOG_USEC= arms the watchdog: WATCHDOG=1 pings keep it alive, silence kills with SIGABRT', async () => {
    // Pings every 0.2 s against a 2 s limit: a busy machine may delay a ping by far more than 0.2 s.
    const pinger = "/bin/sh -c 'systemd-notify --ready WATCHDOG_USEC=2000000; for i in 1 2 3 4 5 6; do sleep 0.2; systemd-notify WATCHDOG=1; done; exec sleep 30'";
    const { sv } = await supervise({ 'w.service': `[Service]\nType=notify\nNotifyAccess=all\nExecStart=${pinger}\n` });
    const started = Date.now();
    await sv.start('w.service');
    expect(sv.show('w.service')['WatchdogUSec']).toBe('2s');
    await sv.waitFor('w.service', 'failed', { timeout: 20_000 });
    // Alive through 1.2 s of pings, dead 2 s after the last.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3200);
    expect(sv.show('w.service')).toMatchObject({ Result: 'watchdog', ExecMainCode: '2', ExecMainStatus: '6' });
    const msgs = messagesOf(sv, 'w.service');
    expect(msgs).toContain('w.service: Watchdog timeout (limit 2s)!');
    expect(msgs.slice(-2)).toEqual(['w.service: Main process exited, code=killed, status=6/ABRT', "w.service: Failed with result 'watchdog'."]);
  });
});

describe('the clients and abstract sockets', () => {
  test('systemd-notify and notify() both reach an abstract "@" socket, with the sender\'s pid', async () => {
    const native = loadNative();
    const name = `@unitvisor-test-${randomBytes(6).toString('hex')}`;
    const received: { pid: number; text: string }[] = [];
    const listener = native.listenNotify(name, (message) => received.push(message));
    try {
      expect(notify('STATUS=from node', { NOTIFY_SOCKET: name })).toBe(true);
      // Without --pid=, systemd-notify sends on behalf of its parent: this process.
      // Asynchronously: systemd-notify waits until the listener (on this event loop) closes its BARRIER=1 fd.
      await promisify(execFile)('systemd-notify', ['STATUS=from systemd-notify'], { env: { NOTIFY_SOCKET: name, PATH: process.env['PATH'] } });
      expect(received.map((m) => [m.pid, m.text])).toEqual([
        [process.pid, 'STATUS=from node'],
        [process.pid, 'STATUS=from systemd-notify'],
        [expect.any(Number), 'BARRIER=1'],
      ]);
    } finally {
      listener.close();
    }
  });
});
