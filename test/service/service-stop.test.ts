// Stopping: KillMode=, signals, escalation on TimeoutStopSec=, ExecStop=/ExecStopPost= environment, reload (systemd.kill(5)).
import { describe, expect, test } from 'vitest';
import { USEC_PER_SEC } from '../../src/common/clock.js';
import { Rig, cmd, service } from './service-rig.js';
import type { ServiceSection } from '../../src/unit/model.js';

const S = USEC_PER_SEC;

function running(overrides: Partial<ServiceSection> = {}): Rig {
  return new Rig(service({ timeoutStopUsec: 10 * S, ...overrides })).send({ kind: 'start' });
}

describe('stop', () => {
  test('SIGTERM to the whole unit, then dead', () => {
    const rig = running().clear().send({ kind: 'stop' });
    expect(rig.outcome).toBe('accepted');
    expect(rig.sub).toBe('stop-sigterm');
    expect(rig.of('kill')).toEqual([
      { kind: 'kill', whom: 'all', signal: 15, mainPid: 100, controlPid: undefined, sendSIGHUP: false, logKills: false },
    ]);
    expect(rig.of('arm-timer')).toEqual([{ kind: 'arm-timer', timer: 'state', afterUsec: 10 * S }]);
    rig.kill('main', 15);
    expect(rig.sub).toBe('dead');
    expect(rig.logs()).toEqual(['Deactivated successfully.']);
    expect(rig.rt.mainPid).toBeUndefined();
  });

  test("stop-sigterm times out: \"State 'stop-sigterm' timed out. Killing.\" then SIGKILL", () => {
    const rig = running().send({ kind: 'stop' }).clear().advance(10 * S);
    expect(rig.logs()).toEqual(["State 'stop-sigterm' timed out. Killing."]);
    expect(rig.sub).toBe('stop-sigkill');
    expect(rig.of('kill')[0]).toMatchObject({ whom: 'all', signal: 9, logKills: true });
    rig.kill('main', 9);
    expect(rig.sub).toBe('failed');
    expect(rig.rt.result).toBe('timeout');
    expect(rig.logs()).toEqual(["State 'stop-sigterm' timed out. Killing.", 'Main process exited, code=killed, status=9/KILL', "Failed with result 'timeout'."]);
  });

  test('SendSIGKILL=no skips the SIGKILL', () => {
    const base = service();
    const rig = running({ kill: { ...base.kill, sendSIGKILL: false } }).send({ kind: 'stop' }).clear().advance(10 * S);
    expect(rig.logs()).toEqual(["State 'stop-sigterm' timed out. Skipping SIGKILL."]);
    // No ExecStopPost=: final-sigterm signals what is left once more, then gives up without SIGKILL too.
    expect(rig.of('kill').map((k) => k.signal)).toEqual([15]);
    expect(rig.sub).toBe('final-sigterm');
    rig.advance(10 * S);
    expect(rig.logs().slice(1)).toEqual(["State 'final-sigterm' timed out. Skipping SIGKILL. Entering failed mode.", "Failed with result 'timeout'."]);
    expect(rig.sub).toBe('failed');
  });

  test('stop-sigkill that does not help: "Processes still around after SIGKILL. Ignoring."', () => {
    const rig = running().send({ kind: 'stop' }).advance(10 * S).clear().advance(10 * S);
    expect(rig.logs()).toEqual(['Processes still around after SIGKILL. Ignoring.']);
    expect(rig.sub).toBe('final-sigterm');
    rig.advance(10 * S).advance(10 * S);
    expect(rig.logs().slice(1)).toEqual([
      "State 'final-sigterm' timed out. Killing.",
      'Processes still around after final SIGKILL. Entering failed mode.',
      "Failed with result 'timeout'.",
    ]);
  });

  test.each([
    ['control-group', 'all', 'all'],
    ['process', 'main-and-control', 'main-and-control'],
    ['mixed', 'main-and-control', 'all'],
  ] as const)('KillMode=%s: SIGTERM reaches %s, SIGKILL reaches %s', (killMode, term, kill) => {
    const base = service();
    const rig = running({ kill: { ...base.kill, killMode } }).send({ kind: 'stop' }).advance(10 * S);
    expect(rig.of('kill').map((k) => [k.signal, k.whom])).toEqual([
      [15, term],
      [9, kill],
    ]);
  });

  test('KillMode=none signals nothing and goes down at once', () => {
    const base = service();
    const rig = running({ kill: { ...base.kill, killMode: 'none' } }).send({ kind: 'stop' });
    expect(rig.of('kill')).toEqual([]);
    expect(rig.sub).toBe('dead');
  });

  test('KillSignal=, SendSIGHUP= and RestartKillSignal= for a restart job', () => {
    const base = service();
    const rig = running({ kill: { ...base.kill, killSignal: 2, sendSIGHUP: true, restartKillSignal: 10 } });
    rig.send({ kind: 'stop' });
    expect(rig.of('kill')[0]).toMatchObject({ signal: 2, sendSIGHUP: true });
    const restart = running({ kill: { ...base.kill, killSignal: 2, sendSIGHUP: true, restartKillSignal: 10 } });
    restart.ctx = { restartJobPending: true };
    restart.send({ kind: 'stop' });
    expect(restart.of('kill')[0]).toMatchObject({ signal: 10, sendSIGHUP: false });
  });

  test('leftover processes of the unit get final-sigterm and are waited for', () => {
    const rig = running();
    rig.ctx = { cgroupPopulated: true };
    rig.send({ kind: 'stop' }).kill('main', 15);
    expect(rig.sub).toBe('final-sigterm');
    expect(rig.of('kill').map((k) => [k.signal, k.whom, k.mainPid])).toEqual([
      [15, 'all', 100],
      [15, 'all', undefined],
    ]);
    rig.ctx = { cgroupPopulated: false };
    rig.send({ kind: 'all-processes-gone' });
    expect(rig.sub).toBe('dead');
  });

  test('ExecStop= gets $MAINPID; ExecStopPost= gets $SERVICE_RESULT, $EXIT_CODE, $EXIT_STATUS', () => {
    const rig = running({ execStop: [cmd('/bin/stop')], execStopPost: [cmd('/bin/post')] }).send({ kind: 'stop' });
    expect(rig.sub).toBe('stop');
    expect(rig.of('spawn')[1]!.extraEnv).toEqual({ MAINPID: '100', SERVICE_RESULT: 'success' });
    rig.exit('control', 0);
    expect(rig.sub).toBe('stop-sigterm');
    rig.kill('main', 15);
    expect(rig.sub).toBe('stop-post');
    expect(rig.of('spawn')[2]!.extraEnv).toEqual({ SERVICE_RESULT: 'success', EXIT_CODE: 'killed', EXIT_STATUS: 'TERM' });
    rig.exit('control', 0);
    expect(rig.sub).toBe('dead');
  });

  test('a main process that exits on its own still gets ExecStop=, with $EXIT_STATUS', () => {
    const rig = running({ execStop: [cmd('/bin/stop')] }).exit('main', 0);
    expect(rig.sub).toBe('stop');
    expect(rig.of('spawn')[1]!.extraEnv).toEqual({ SERVICE_RESULT: 'success', EXIT_CODE: 'exited', EXIT_STATUS: '0' });
  });

  test('ExecStop= that hangs: "Stopping timed out. Terminating."', () => {
    const rig = running({ execStop: [cmd('/bin/stop')] }).send({ kind: 'stop' }).clear().advance(10 * S);
    expect(rig.logs()).toEqual(['Stopping timed out. Terminating.']);
    expect(rig.of('kill')[0]).toMatchObject({ whom: 'all', signal: 15, mainPid: 100, controlPid: 101 });
    expect(rig.sub).toBe('stop-sigterm');
  });

  test('stop during ExecStartPre=: straight to stop-sigterm; the killed command makes Result=signal', () => {
    const rig = new Rig(service({ execStartPre: [cmd('/bin/slow')] })).send({ kind: 'start' }).send({ kind: 'stop' });
    expect(rig.sub).toBe('stop-sigterm');
    rig.send({ kind: 'stop' });
    expect(rig.outcome).toBe('done'); // service_stop() returns 0: no "Stopping" line
    rig.kill('control', 15);
    expect(rig.sub).toBe('failed');
    expect(rig.logs()).toEqual(['Control process exited, code=killed, status=15/TERM', "Failed with result 'signal'."]);
  });

  test('stop of a dead unit: already', () => {
    expect(new Rig(service()).send({ kind: 'stop' }).outcome).toBe('already');
  });

  test('start while stopping is retried later', () => {
    const rig = running().send({ kind: 'stop' }).send({ kind: 'start' });
    expect(rig.outcome).toBe('again');
  });
});

describe('RuntimeMaxSec= and reload', () => {
  test('RuntimeMaxSec= stops the service with Result=timeout', () => {
    const rig = running({ runtimeMaxUsec: 30 * S }).advance(30 * S);
    expect(rig.logs()).toEqual(['Service reached runtime time limit. Stopping.']);
    expect(rig.sub).toBe('stop-sigterm');
    rig.kill('main', 15);
    expect(rig.sub).toBe('failed');
    expect(rig.rt.result).toBe('timeout');
  });

  test('ExecReload= runs in reload and returns to running; a failure is only the reload result', () => {
    const rig = running({ execReload: [cmd('/bin/reload')] }).send({ kind: 'reload' });
    expect(rig.outcome).toBe('accepted');
    expect(rig.sub).toBe('reload');
    expect(rig.of('spawn')[1]!.extraEnv).toEqual({ MAINPID: '100' });
    rig.exit('control', 1);
    expect(rig.sub).toBe('running');
    expect(rig.rt.reloadResult).toBe('exit-code');
    expect(rig.rt.result).toBe('success');
    expect(rig.of('state-changed').at(-1)).toMatchObject({ from: 'reload', to: 'running', reloadFailed: true });
  });

  test('reload that times out kills the reload process', () => {
    const rig = running({ execReload: [cmd('/bin/reload')], timeoutStartUsec: 5 * S }).send({ kind: 'reload' }).clear().advance(5 * S);
    expect(rig.logs()).toEqual(['Reload operation timed out. Killing reload process.']);
    expect(rig.of('kill')).toEqual([{ kind: 'kill', whom: 'control', signal: 9, mainPid: undefined, controlPid: 101, sendSIGHUP: false, logKills: false }]);
    expect(rig.sub).toBe('running');
    expect(rig.rt.reloadResult).toBe('timeout');
  });

  test('reload of an inactive unit, or one without ExecReload=, is refused', () => {
    expect(new Rig(service({ execReload: [cmd('/bin/r')] })).send({ kind: 'reload' }).outcome).toBe('refused');
    expect(running().send({ kind: 'reload' }).outcome).toBe('refused');
  });
});

describe('kill requests (systemctl kill)', () => {
  test.each([
    ['main', 'accepted', { whom: 'main', mainPid: 100, controlPid: undefined }],
    ['control', 'refused', undefined],
    ['all', 'accepted', { whom: 'all', mainPid: 100, controlPid: undefined }],
  ] as const)('--kill-whom=%s on a running simple service: %s', (whom, outcome, kill) => {
    const rig = running().clear().send({ kind: 'kill', whom, signal: 10 });
    expect(rig.outcome).toBe(outcome);
    expect(rig.of('kill')[0]).toEqual(kill && { kind: 'kill', signal: 10, sendSIGHUP: false, logKills: false, ...kill });
    expect(rig.sub).toBe('running');
  });
});
