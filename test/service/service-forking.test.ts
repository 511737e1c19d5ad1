// Type=forking: PIDFile=, GuessMainPID= and the cgroup as systemd.service(5) describes them.
import { describe, expect, test } from 'vitest';
import { Rig, cmd, service } from './service-rig.js';
import type { ServiceSection } from '../../src/unit/model.js';

function forking(overrides: Partial<ServiceSection> = {}): Rig {
  return new Rig(service({ type: 'forking', ...overrides })).send({ kind: 'start' });
}

describe('Type=forking', () => {
  test('the ExecStart= process is a control process; its exit completes the start', () => {
    const rig = forking();
    expect(rig.of('spawn')[0]).toMatchObject({ role: 'control', phase: 'start' });
    expect(rig.sub).toBe('start');
    rig.ctx = { cgroupPopulated: true };
    rig.exit('control', 0);
    expect(rig.of('guess-main-pid')).toHaveLength(1);
    // Without a main pid, the unit is up as long as it has processes.
    expect(rig.sub).toBe('running');
    rig.send({ kind: 'main-pid-guessed', pid: 777 });
    expect(rig.rt.mainPid).toBe(777);
    expect(rig.of('watch-pid')).toEqual([{ kind: 'watch-pid', pid: 777 }]);
    rig.exit('main', 0);
    expect(rig.sub).toBe('stop-sigterm');
  });

  test('GuessMainPID=no and no PIDFile=: nothing is guessed, the cgroup tells when it is over', () => {
    const rig = forking({ guessMainPID: false });
    rig.ctx = { cgroupPopulated: true };
    rig.exit('control', 0);
    expect(rig.of('guess-main-pid')).toHaveLength(0);
    expect(rig.sub).toBe('running');
    rig.ctx = { cgroupPopulated: false };
    rig.send({ kind: 'all-processes-gone' });
    expect(rig.sub).toBe('dead');
  });

  test('a forking parent that exits with nothing left behind: the service ends', () => {
    const rig = forking({ guessMainPID: false }).exit('control', 0);
    expect(rig.sub).toBe('dead');
  });

  test('a failing forking parent fails the start', () => {
    const rig = forking().exit('control', 1);
    expect(rig.sub).toBe('failed');
    expect(rig.logs()).toEqual(['Control process exited, code=exited, status=1/FAILURE', "Failed with result 'exit-code'."]);
  });

  test('PIDFile= is read after the parent exits; its pid becomes the main pid', () => {
    const rig = forking({ pidFile: '/run/d.pid' }).exit('control', 0);
    expect(rig.of('read-pid-file')).toEqual([{ kind: 'read-pid-file', path: '/run/d.pid', watch: false }]);
    expect(rig.sub).toBe('start');
    rig.send({ kind: 'pid-file', pid: 4321 });
    expect(rig.sub).toBe('running');
    expect(rig.rt.mainPid).toBe(4321);
    rig.send({ kind: 'stop' });
    expect(rig.of('kill')[0]).toMatchObject({ mainPid: 4321, signal: 15 });
  });

  test('PIDFile= missing while the daemon lives: watched until it appears', () => {
    const rig = forking({ pidFile: '/run/d.pid' });
    rig.ctx = { cgroupPopulated: true };
    rig.exit('control', 0).send({ kind: 'pid-file', pid: undefined, error: 'No such file or directory' });
    expect(rig.logs().at(-1)).toBe("Can't open PID file /run/d.pid (yet?) after start: No such file or directory");
    expect(rig.of('read-pid-file').at(-1)).toEqual({ kind: 'read-pid-file', path: '/run/d.pid', watch: true });
    expect(rig.rt.state).toEqual({ sub: 'start', pidFile: 'demand' });
    rig.send({ kind: 'pid-file', pid: 999 });
    expect(rig.sub).toBe('running');
    expect(rig.of('unwatch-pid-file')).toHaveLength(1);
  });

  test('PIDFile= never written: "Daemon never wrote its PID file. Failing."', () => {
    const rig = forking({ pidFile: '/run/d.pid' });
    rig.ctx = { cgroupPopulated: true };
    rig.exit('control', 0).send({ kind: 'pid-file', pid: undefined, error: 'No such file or directory' });
    rig.ctx = { cgroupPopulated: false };
    rig.send({ kind: 'all-processes-gone' });
    expect(rig.logs().at(-2)).toBe('Daemon never wrote its PID file. Failing.');
    expect(rig.rt.result).toBe('protocol');
    expect(rig.sub).toBe('failed');
  });

  test('PIDFile= missing and no process left: protocol failure at once', () => {
    const rig = forking({ pidFile: '/run/d.pid' }).exit('control', 0).send({ kind: 'pid-file', pid: undefined, error: 'No such file or directory' });
    expect(rig.rt.result).toBe('protocol');
    expect(rig.sub).toBe('failed');
  });

  test('with ExecStartPost=, the PID file may appear later', () => {
    const rig = forking({ pidFile: '/run/d.pid', execStartPost: [cmd('/bin/post')] }).exit('control', 0);
    rig.send({ kind: 'pid-file', pid: undefined, error: 'No such file or directory' });
    expect(rig.sub).toBe('start-post');
    expect(rig.logs()).toEqual([]);
    rig.exit('control', 0);
    expect(rig.rt.state).toEqual({ sub: 'start-post', pidFile: 'read' });
    rig.send({ kind: 'pid-file', pid: 4321 });
    expect(rig.sub).toBe('running');
  });
});
