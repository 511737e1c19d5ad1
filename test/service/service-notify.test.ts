// Type=notify, NotifyAccess=, EXTEND_TIMEOUT_USEC= and WatchdogSec= (sd_notify(3), systemd.service(5)).
import { describe, expect, test } from 'vitest';
import { USEC_PER_SEC } from '../../src/common/clock.js';
import { parseNotifyMessage } from '../../src/service/notify-message.js';
import type { ServiceSection } from '../../src/unit/model.js';
import { Rig, cmd, service } from './service-rig.js';

const S = USEC_PER_SEC;

function notifyService(overrides: Partial<ServiceSection> = {}): Rig {
  return new Rig(service({ type: 'notify', notifyAccess: 'main', ...overrides })).send({ kind: 'start' });
}

function say(rig: Rig, text: string, pid = rig.pid('main')): Rig {
  return rig.send({ kind: 'notify', pid, message: parseNotifyMessage(text) });
}

describe('Type=notify', () => {
  test('waits in start for READY=1; $NOTIFY_SOCKET passed to the main process', () => {
    const rig = notifyService();
    expect(rig.sub).toBe('start');
    expect(rig.of('spawn')[0]?.notifySocket).toBe(true);
    say(rig, 'STATUS=Loading\nREADY=1');
    expect(rig.sub).toBe('running');
    expect(rig.rt.statusText).toBe('Loading');
    expect(rig.rt.notifyState).toBe('ready');
  });

  test('main process exiting cleanly before READY=1 is a protocol failure', () => {
    const rig = notifyService().exit('main', 0);
    expect(rig.rt.result).toBe('protocol');
    expect(rig.sub).toBe('failed');
  });

  test('main process failing before READY=1 keeps its own result', () => {
    const rig = notifyService().exit('main', 2);
    expect(rig.rt.result).toBe('exit-code');
  });

  test('STOPPING=1 while running: stop-sigterm, as if we had signalled it', () => {
    const rig = notifyService();
    say(rig, 'READY=1').clear();
    say(rig, 'STOPPING=1');
    expect(rig.sub).toBe('stop-sigterm');
    expect(rig.of('kill')).toEqual([]);
    rig.exit('main', 0);
    expect(rig.sub).toBe('dead');
  });

  test('RELOADING=1 then READY=1: reload and back, the reload propagated', () => {
    const rig = notifyService();
    say(rig, 'READY=1');
    say(rig, 'RELOADING=1');
    expect(rig.sub).toBe('reload');
    expect(rig.of('propagate-reload')).toHaveLength(1);
    say(rig, 'READY=1');
    expect(rig.sub).toBe('running');
  });

  test('the last of READY/RELOADING/STOPPING in a datagram wins', () => {
    const rig = notifyService();
    say(rig, 'READY=1');
    say(rig, 'RELOADING=1\nSTOPPING=1');
    expect(rig.sub).toBe('stop-sigterm');
  });

  test('MAINPID= moves the main pid', () => {
    const rig = notifyService();
    say(rig, 'MAINPID=4242\nREADY=1');
    expect(rig.rt.mainPid).toBe(4242);
    expect(rig.of('watch-pid')).toEqual([{ kind: 'watch-pid', pid: 4242 }]);
    expect(rig.rt.execMain.pid).toBe(4242);
  });

  test('MAINPID= of a process outside the unit, or of the control process, is refused', () => {
    const rig = new Rig(service({ type: 'notify', notifyAccess: 'all', execStartPost: [cmd('/bin/post')] })).send({ kind: 'start' });
    rig.ctx = { pidBelongsToUnit: (pid) => pid !== 31337 };
    say(rig, 'MAINPID=31337');
    say(rig, 'READY=1');
    say(rig, `MAINPID=${rig.pid('control')}`);
    expect(rig.logs()).toEqual(['New main PID 31337 does not belong to service, refusing.', 'New main PID 101 is the control process, refusing.']);
    expect(rig.rt.mainPid).toBe(100);
  });

  test('EXTEND_TIMEOUT_USEC= pushes the start timeout out', () => {
    const rig = notifyService({ timeoutStartUsec: 5 * S });
    rig.advance(4 * S);
    say(rig, 'EXTEND_TIMEOUT_USEC=3000000');
    rig.advance(2 * S);
    expect(rig.sub).toBe('start');
    rig.advance(1 * S);
    expect(rig.logs()).toEqual(['start operation timed out. Terminating.']);
  });

  test('a shorter EXTEND_TIMEOUT_USEC= does not shorten it', () => {
    const rig = notifyService({ timeoutStartUsec: 5 * S });
    say(rig, 'EXTEND_TIMEOUT_USEC=1000000');
    rig.advance(4 * S);
    expect(rig.sub).toBe('start');
  });

  test.each([
    ['EXTEND_TIMEOUT_USEC=soon', 'Failed to parse EXTEND_TIMEOUT_USEC=soon'],
    ['WATCHDOG=maybe', 'Passed WATCHDOG= field is invalid, ignoring.'],
    ['WATCHDOG_USEC=x', 'Failed to parse WATCHDOG_USEC=x'],
    ['MAINPID=abc', 'Failed to parse MAINPID= field in notification message, ignoring: abc'],
    ['ERRNO=e', "Failed to parse ERRNO= field value 'e' in notification message: Invalid argument"],
  ])('%s → warning', (text, warning) => {
    const rig = notifyService();
    say(rig, text);
    expect(rig.logs()).toEqual([warning]);
  });

  test('ERRNO= and an empty STATUS= are recorded', () => {
    const rig = notifyService();
    say(rig, 'STATUS=x\nERRNO=2');
    say(rig, 'STATUS=');
    expect(rig.rt.statusErrno).toBe(2);
    expect(rig.rt.statusText).toBeUndefined();
  });
});

describe('NotifyAccess=', () => {
  test.each([
    ['none', 100, 'Got notification message from PID 100, but reception is disabled.'],
    ['main', 555, 'Got notification message from PID 555, but reception only permitted for main PID 100'],
    ['exec', 555, 'Got notification message from PID 555, but reception only permitted for main PID 100'],
  ] as const)('NotifyAccess=%s rejects PID %i', (access, pid, warning) => {
    const rig = notifyService({ notifyAccess: access });
    say(rig, 'READY=1', pid);
    expect(rig.logs()).toEqual([warning]);
    expect(rig.sub).toBe('start');
  });

  test('exec accepts the control process; all accepts anyone routed to the unit', () => {
    const exec = new Rig(service({ type: 'notify', notifyAccess: 'exec', execStartPre: [cmd('/bin/pre')] })).send({ kind: 'start' });
    expect(exec.of('spawn')[0]?.notifySocket).toBe(true);
    say(exec, 'STATUS=preparing', exec.pid('control'));
    expect(exec.rt.statusText).toBe('preparing');
    const all = notifyService({ notifyAccess: 'all' });
    say(all, 'READY=1', 9999);
    expect(all.sub).toBe('running');
  });
});

describe('WatchdogSec=', () => {
  test('armed once started, kept alive by WATCHDOG=1, fires with WatchdogSignal=', () => {
    const rig = notifyService({ watchdogUsec: 3 * S });
    expect(rig.of('spawn')[0]?.extraEnv.WATCHDOG_USEC).toBe('3000000');
    say(rig, 'READY=1');
    rig.advance(2 * S);
    say(rig, 'WATCHDOG=1');
    rig.advance(2 * S);
    expect(rig.sub).toBe('running');
    rig.advance(1 * S);
    expect(rig.logs()).toEqual(['Watchdog timeout (limit 3s)!']);
    expect(rig.sub).toBe('stop-watchdog');
    expect(rig.of('kill')[0]).toMatchObject({ signal: 6, whom: 'all', logKills: true });
    rig.kill('main', 6);
    expect(rig.rt.result).toBe('watchdog');
    expect(rig.sub).toBe('failed');
  });

  test('Restart=on-watchdog restarts after a watchdog timeout', () => {
    const rig = notifyService({ watchdogUsec: 3 * S, restart: 'on-watchdog' });
    say(rig, 'READY=1');
    rig.advance(3 * S).kill('main', 6);
    expect(rig.sub).toBe('auto-restart');
  });

  test('WATCHDOG_USEC= overrides the timeout; WATCHDOG=trigger fires at once', () => {
    const rig = notifyService({ watchdogUsec: 3 * S });
    say(rig, 'READY=1\nWATCHDOG_USEC=10000000');
    rig.advance(5 * S);
    expect(rig.sub).toBe('running');
    say(rig, 'STATUS=stuck\nWATCHDOG=trigger');
    expect(rig.logs()).toEqual(['Watchdog request (last status: stuck)!']);
    expect(rig.sub).toBe('stop-watchdog');
  });

  test('the watchdog stops when the service stops', () => {
    const rig = notifyService({ watchdogUsec: 3 * S });
    say(rig, 'READY=1');
    rig.send({ kind: 'stop' });
    expect(rig.of('cancel-timer').some((e) => e.timer === 'watchdog')).toBe(true);
  });
});
