// Start paths by Type=, ExecCondition=/ExecStartPre=/ExecStartPost= and start timeouts (systemd.service(5)).
import { describe, expect, test } from 'vitest';
import { USEC_PER_SEC } from '../../src/common/clock.js';
import { activeStateOf } from '../../src/service/service-state.js';
import { Rig, cmd, service } from './service-rig.js';

describe('start path by Type=', () => {
  test('simple: running as soon as the spawn is confirmed', () => {
    const rig = new Rig(service({ type: 'simple' })).send({ kind: 'start' });
    expect(rig.outcome).toBe('accepted');
    expect(rig.sub).toBe('running');
    expect(rig.states()).toEqual(['start', 'running']);
    const [spawn] = rig.of('spawn');
    expect(spawn).toMatchObject({ role: 'main', phase: 'start', confirmExec: false, waitForIdle: false, notifySocket: false });
    expect(rig.rt.mainPid).toBe(100);
    expect(rig.rt.execMain.pid).toBe(100);
  });

  test('simple: waits in start until the spawn is confirmed', () => {
    const rig = new Rig(service({ type: 'simple' }));
    rig.autoSpawn = false;
    rig.send({ kind: 'start' });
    expect(rig.sub).toBe('start');
    expect(activeStateOf(rig.rt.state.sub)).toBe('activating');
    rig.send({ kind: 'spawned', role: 'main', pid: 7 });
    expect(rig.sub).toBe('running');
  });

  test('idle: as simple, with the spawn delayed until the queue is idle', () => {
    const rig = new Rig(service({ type: 'idle' })).send({ kind: 'start' });
    expect(rig.of('spawn')[0]?.waitForIdle).toBe(true);
    expect(rig.sub).toBe('running');
  });

  test('exec: running only after execve() is confirmed', () => {
    const rig = new Rig(service({ type: 'exec' })).send({ kind: 'start' });
    expect(rig.of('spawn')[0]?.confirmExec).toBe(true);
    expect(rig.sub).toBe('start');
    rig.send({ kind: 'exec-confirmed', role: 'main' });
    expect(rig.sub).toBe('running');
  });

  test('exec: a missing binary fails the start with 203/EXEC', () => {
    const rig = new Rig(service({ type: 'exec', execStart: [cmd('/nonexistent')] })).send({ kind: 'start' });
    rig.send({ kind: 'exec-failed', role: 'main', path: '/nonexistent', message: 'No such file or directory' });
    expect(rig.sub).toBe('failed');
    expect(rig.rt.result).toBe('exit-code');
    expect(rig.rt.execMain.exit).toEqual({ code: 'exited', status: 203 });
    // The "Failed at step EXEC ..." lines come from the exec helper (process/), not from the machine.
    expect(rig.logs()).toEqual([
      'Main process exited, code=exited, status=203/EXEC',
      "Failed with result 'exit-code'.",
    ]);
  });

  test('simple: a missing binary is noticed only as the main process exiting 203', () => {
    const rig = new Rig(service({ execStart: [cmd('/nonexistent')] })).send({ kind: 'start' });
    expect(rig.sub).toBe('running');
    rig.send({ kind: 'exec-failed', role: 'main', path: '/nonexistent', message: 'No such file or directory' });
    expect(rig.sub).toBe('failed');
    expect(rig.states()).toEqual(['start', 'running', 'failed']);
  });

  test('oneshot: each ExecStart= in sequence, then dead; start timeout re-armed per command', () => {
    const rig = new Rig(service({ type: 'oneshot', execStart: [cmd('/bin/a'), cmd('/bin/b')] })).send({ kind: 'start' });
    expect(rig.sub).toBe('start');
    expect(rig.of('arm-timer').map((e) => e.afterUsec)).toEqual([90 * USEC_PER_SEC]);
    rig.exit('main', 0);
    expect(rig.of('spawn').map((s) => s.command.path)).toEqual(['/bin/a', '/bin/b']);
    expect(rig.sub).toBe('start');
    expect(rig.of('arm-timer')).toHaveLength(2);
    rig.exit('main', 0);
    expect(rig.sub).toBe('dead');
    expect(rig.states()).toEqual(['start', 'dead']);
    expect(rig.logs()).toEqual(['Deactivated successfully.']);
    expect(rig.rt.result).toBe('success');
  });

  test('oneshot: a failing command stops the sequence', () => {
    const rig = new Rig(service({ type: 'oneshot', execStart: [cmd('/bin/a'), cmd('/bin/b')] })).send({ kind: 'start' });
    rig.exit('main', 1);
    expect(rig.of('spawn')).toHaveLength(1);
    expect(rig.sub).toBe('failed');
    expect(rig.logs()).toEqual(['Main process exited, code=exited, status=1/FAILURE', "Failed with result 'exit-code'."]);
  });

  test('oneshot: "-" ignores a failing command', () => {
    const rig = new Rig(service({ type: 'oneshot', execStart: [cmd('/bin/a', { ignoreFailure: true }), cmd('/bin/b')] }));
    rig.send({ kind: 'start' }).exit('main', 3).exit('main', 0);
    expect(rig.sub).toBe('dead');
    expect(rig.rt.result).toBe('success');
  });

  test('oneshot with RemainAfterExit=yes: exited (active), stop then runs ExecStop=', () => {
    const rig = new Rig(service({ type: 'oneshot', remainAfterExit: true, execStop: [cmd('/bin/down')] })).send({ kind: 'start' });
    rig.exit('main', 0);
    expect(rig.sub).toBe('exited');
    expect(activeStateOf('exited')).toBe('active');
    expect(rig.rt.mainPid).toBeUndefined();
    rig.send({ kind: 'stop' });
    expect(rig.sub).toBe('stop');
    rig.exit('control', 0);
    expect(rig.sub).toBe('dead');
  });

  test('oneshot killed by SIGTERM is a failure (commands are not daemons)', () => {
    const rig = new Rig(service({ type: 'oneshot' })).send({ kind: 'start' }).kill('main', 15);
    expect(rig.rt.result).toBe('signal');
    expect(rig.logs()[0]).toBe('Main process exited, code=killed, status=15/TERM');
  });

  test('a simple daemon killed by SIGTERM ends successfully', () => {
    const rig = new Rig(service()).send({ kind: 'start' }).kill('main', 15);
    expect(rig.sub).toBe('dead');
    expect(rig.rt.result).toBe('success');
  });
});

describe('ExecCondition= and ExecStartPre=', () => {
  test('condition passes, pre runs, then the main process', () => {
    const rig = new Rig(service({ execCondition: [cmd('/bin/check')], execStartPre: [cmd('/bin/pre1'), cmd('/bin/pre2')] }));
    rig.send({ kind: 'start' });
    expect(rig.sub).toBe('condition');
    rig.exit('control', 0);
    expect(rig.sub).toBe('start-pre');
    rig.exit('control', 0).exit('control', 0);
    expect(rig.sub).toBe('running');
    expect(rig.of('spawn').map((s) => [s.role, s.phase, s.index])).toEqual([
      ['control', 'condition', 0],
      ['control', 'start-pre', 0],
      ['control', 'start-pre', 1],
      ['main', 'start', 0],
    ]);
  });

  test.each([
    // systemd 252 logs the skip but shows Result=success afterwards (oracle: `show -p Result` after the skip).
    [1, 'dead', 'success', ['Skipped due to \'exec-condition\'.']],
    [254, 'dead', 'success', ['Skipped due to \'exec-condition\'.']],
    [255, 'failed', 'exit-code', ['Condition check process exited, code=exited, status=255/EXCEPTION', "Failed with result 'exit-code'."]],
  ])('ExecCondition= exiting %i → %s (Result=%s)', (status, sub, result, logs) => {
    const rig = new Rig(service({ execCondition: [cmd('/bin/check')], restart: 'always' })).send({ kind: 'start' });
    rig.exit('control', status);
    expect(rig.sub).toBe(status === 255 ? 'auto-restart' : sub);
    expect(rig.rt.result).toBe(result);
    expect(rig.logs()).toEqual(logs);
    expect(rig.of('spawn')).toHaveLength(1);
  });

  test('ExecCondition= killed by a signal fails', () => {
    const rig = new Rig(service({ execCondition: [cmd('/bin/check')] })).send({ kind: 'start' }).kill('control', 9);
    expect(rig.sub).toBe('failed');
    expect(rig.rt.result).toBe('signal');
  });

  test('a failing ExecStartPre= fails the start and ExecStopPost= still runs', () => {
    const rig = new Rig(service({ execStartPre: [cmd('/bin/pre')], execStopPost: [cmd('/bin/cleanup')] })).send({ kind: 'start' });
    rig.exit('control', 1);
    expect(rig.sub).toBe('stop-post');
    const post = rig.of('spawn')[1]!;
    expect(post.phase).toBe('stop-post');
    expect(post.extraEnv).toEqual({ SERVICE_RESULT: 'exit-code' });
    rig.exit('control', 0);
    expect(rig.sub).toBe('failed');
    expect(rig.logs()).toEqual(['Control process exited, code=exited, status=1/FAILURE', "Failed with result 'exit-code'."]);
    expect(rig.of('spawn').some((s) => s.phase === 'start')).toBe(false);
  });

  test('ExecStartPre= with "-" may fail', () => {
    const rig = new Rig(service({ execStartPre: [cmd('/bin/pre', { ignoreFailure: true })] })).send({ kind: 'start' });
    rig.exit('control', 1);
    expect(rig.sub).toBe('running');
    expect(rig.rt.result).toBe('success');
  });

  test('an unreadable EnvironmentFile= fails the start with Result=resources', () => {
    const rig = new Rig(service({ execStartPre: [cmd('/bin/pre')] }));
    rig.autoSpawn = false;
    rig.send({ kind: 'start' });
    rig.send({
      kind: 'spawn-failed',
      role: 'control',
      reason: 'resources',
      message: 'No such file or directory',
      cause: 'Failed to load environment files: No such file or directory',
    });
    expect(rig.sub).toBe('failed');
    expect(rig.rt.result).toBe('resources');
    // As systemd 252's journal shows it.
    expect(rig.logs()).toEqual([
      'Failed to load environment files: No such file or directory',
      "Failed to run 'start-pre' task: No such file or directory",
      "Failed with result 'resources'.",
    ]);
  });

  test('spawn failure of the main process of Type=simple never reaches running', () => {
    const rig = new Rig(service());
    rig.autoSpawn = false;
    rig.send({ kind: 'start' }).send({ kind: 'spawn-failed', role: 'main', reason: 'resources', message: 'No such file or directory' });
    expect(rig.states()).toEqual(['start', 'failed']);
    expect(rig.logs()).toEqual(["Failed to run 'start' task: No such file or directory", "Failed with result 'resources'."]);
  });
});

describe('ExecStartPost= and start timeouts', () => {
  test('ExecStartPost= runs before running; its failure stops the service', () => {
    const rig = new Rig(service({ execStartPost: [cmd('/bin/post')] })).send({ kind: 'start' });
    expect(rig.sub).toBe('start-post');
    rig.exit('control', 2);
    expect(rig.sub).toBe('stop-sigterm');
    expect(rig.of('kill')[0]).toMatchObject({ whom: 'all', signal: 15, mainPid: 100 });
    rig.kill('main', 15);
    expect(rig.sub).toBe('failed');
    expect(rig.rt.result).toBe('exit-code');
  });

  test.each([
    ['terminate', 'start operation timed out. Terminating.', 'stop-sigterm', 15],
    ['abort', 'start operation timed out. Aborting.', 'stop-watchdog', 6],
    ['kill', 'start operation timed out. Killing.', 'stop-sigkill', 9],
  ] as const)('TimeoutStartFailureMode=%s', (mode, log, sub, signal) => {
    const rig = new Rig(service({ type: 'notify', notifyAccess: 'main', timeoutStartUsec: 5 * USEC_PER_SEC, timeoutStartFailureMode: mode }));
    rig.send({ kind: 'start' }).advance(5 * USEC_PER_SEC);
    expect(rig.logs()).toEqual([log]);
    expect(rig.sub).toBe(sub);
    expect(rig.rt.result).toBe('timeout');
    expect(rig.of('kill')[0]?.signal).toBe(signal);
  });

  test('the start timeout does not fire before its time', () => {
    const rig = new Rig(service({ type: 'notify', notifyAccess: 'main', timeoutStartUsec: 5 * USEC_PER_SEC }));
    rig.send({ kind: 'start' }).advance(5 * USEC_PER_SEC - 1);
    expect(rig.sub).toBe('start');
  });
});

describe('less common start paths', () => {
  test('oneshot without ExecStart= passes through start and ends dead', () => {
    const rig = new Rig(service({ type: 'oneshot', execStart: [] })).send({ kind: 'start' });
    expect(rig.states()).toEqual(['start', 'dead']);
    expect(rig.logs()).toEqual(['Deactivated successfully.']);
  });

  test('oneshot without ExecStart= but RemainAfterExit=yes stays exited', () => {
    const rig = new Rig(service({ type: 'oneshot', execStart: [], remainAfterExit: true })).send({ kind: 'start' });
    expect(rig.sub).toBe('exited');
  });

  test('ExitType=cgroup: the service lives on while any of its processes does', () => {
    const rig = new Rig(service({ exitType: 'cgroup' })).send({ kind: 'start' });
    rig.ctx = { cgroupPopulated: true };
    rig.exit('main', 0);
    expect(rig.sub).toBe('running');
    rig.ctx = { cgroupPopulated: false };
    rig.send({ kind: 'all-processes-gone' });
    expect(rig.sub).toBe('dead');
  });

  test('notify with NotifyAccess=all and RemainAfterExit=yes: a clean main exit still waits for READY=1', () => {
    const rig = new Rig(service({ type: 'notify', notifyAccess: 'all', remainAfterExit: true })).send({ kind: 'start' });
    rig.ctx = { cgroupPopulated: true };
    rig.exit('main', 0);
    expect(rig.sub).toBe('start');
    rig.send({ kind: 'notify', pid: 555, message: { assignments: [['READY', '1']] } });
    expect(rig.sub).toBe('exited');
  });

  test('notify whose processes are all gone before READY=1: protocol failure', () => {
    const rig = new Rig(service({ type: 'notify', notifyAccess: 'all', remainAfterExit: true })).send({ kind: 'start' }).exit('main', 0);
    rig.send({ kind: 'all-processes-gone' });
    expect(rig.rt.result).toBe('protocol');
    expect(rig.sub).toBe('failed');
  });

  test('ExecStopPost= that cannot be spawned: Result=resources', () => {
    const rig = new Rig(service({ execStopPost: [cmd('/bin/post')] })).send({ kind: 'start' });
    rig.autoSpawn = false;
    rig.send({ kind: 'stop' }).kill('main', 15);
    expect(rig.sub).toBe('stop-post');
    rig.send({ kind: 'spawn-failed', role: 'control', reason: 'resources', message: 'Permission denied' });
    expect(rig.logs()).toEqual(["Failed to run 'stop-post' task: Permission denied", "Failed with result 'resources'."]);
    expect(rig.sub).toBe('failed');
  });
});
