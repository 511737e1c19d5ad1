// Restart= in the machine, NRestarts, and StartLimitIntervalSec=/StartLimitBurst= (systemd.unit(5)).
import { describe, expect, test } from 'vitest';
import { USEC_PER_MSEC, USEC_PER_SEC } from '../../src/common/clock.js';
import { Rig, cmd, service } from './service-rig.js';

const S = USEC_PER_SEC;

/** Runs the restart job the machine asks for, as the manager would: stop, then start. */
function runRestartJobs(rig: Rig): void {
  const handled = new WeakSet<object>();
  for (let guard = 0; guard < 50; guard++) {
    const job = rig.of('enqueue-restart').find((e) => !handled.has(e));
    if (!job) return;
    handled.add(job);
    rig.send({ kind: 'stop' });
    rig.send({ kind: 'start' });
    if (rig.sub === 'running') rig.exit('main', 1);
    rig.advance(100 * USEC_PER_MSEC);
  }
}

describe('Restart=', () => {
  test('on-failure: failed → auto-restart → restart job, counter logged', () => {
    const rig = new Rig(service({ restart: 'on-failure' })).send({ kind: 'start' }).exit('main', 1);
    expect(rig.states()).toEqual(['start', 'running', 'failed', 'auto-restart']);
    expect(rig.of('state-changed').find((e) => e.to === 'failed')?.willAutoRestart).toBe(true);
    expect(rig.sub).toBe('auto-restart');
    rig.advance(100 * USEC_PER_MSEC - 1);
    expect(rig.of('enqueue-restart')).toHaveLength(0);
    rig.advance(1);
    expect(rig.of('enqueue-restart')).toHaveLength(1);
    expect(rig.rt.nRestarts).toBe(1);
    expect(rig.logs()).toEqual([
      'Main process exited, code=exited, status=1/FAILURE',
      "Failed with result 'exit-code'.",
      'Scheduled restart job, restart counter is at 1.',
    ]);
    // The restart job: its stop takes auto-restart to dead, its start begins a new run.
    rig.send({ kind: 'stop' });
    expect(rig.sub).toBe('dead');
    rig.send({ kind: 'start' });
    expect(rig.sub).toBe('running');
    expect(rig.rt.nRestarts).toBe(1);
    expect(rig.rt.result).toBe('success');
  });

  test('start during auto-restart waits for the restart job', () => {
    const rig = new Rig(service({ restart: 'always' })).send({ kind: 'start' }).exit('main', 0);
    expect(rig.sub).toBe('auto-restart');
    rig.send({ kind: 'start' });
    expect(rig.outcome).toBe('again');
  });

  test('a manual stop never restarts, even with Restart=always', () => {
    const rig = new Rig(service({ restart: 'always' })).send({ kind: 'start' }).send({ kind: 'stop' }).kill('main', 9);
    expect(rig.sub).toBe('failed');
    expect(rig.of('state-changed').every((e) => !e.willAutoRestart)).toBe(true);
  });

  test('a pending stop job prevents the restart', () => {
    const rig = new Rig(service({ restart: 'always' })).send({ kind: 'start' });
    rig.ctx = { stopJobPending: true };
    rig.exit('main', 1);
    expect(rig.sub).toBe('failed');
  });

  test('RestartPreventExitStatus= keeps a failed service down', () => {
    const rig = new Rig(service({ restart: 'on-failure', restartPreventExitStatus: { statuses: [3], signals: [] } }));
    rig.send({ kind: 'start' }).exit('main', 3);
    expect(rig.sub).toBe('failed');
  });

  test('RestartForceExitStatus= restarts a clean exit with Restart=no', () => {
    const rig = new Rig(service({ restartForceExitStatus: { statuses: [0], signals: [] } })).send({ kind: 'start' }).exit('main', 0);
    expect(rig.states().slice(-2)).toEqual(['dead', 'auto-restart']);
  });

  test('RestartSec= is the hold-off time', () => {
    const rig = new Rig(service({ restart: 'always', restartUsec: 5 * S })).send({ kind: 'start' }).exit('main', 0);
    rig.advance(5 * S - 1);
    expect(rig.of('enqueue-restart')).toHaveLength(0);
    rig.advance(1);
    expect(rig.of('enqueue-restart')).toHaveLength(1);
  });

  test('a stop job arriving while the restart timer runs: stop → dead, no restart', () => {
    const rig = new Rig(service({ restart: 'always', restartUsec: 5 * S })).send({ kind: 'start' }).exit('main', 0);
    rig.send({ kind: 'stop' });
    expect(rig.sub).toBe('dead');
    rig.advance(10 * S);
    expect(rig.of('enqueue-restart')).toHaveLength(0);
  });
});

describe('start limit', () => {
  test('exhausted through auto-restarts: failed with the last run\'s Result, NRestarts counting each restart', () => {
    const rig = new Rig(service({ restart: 'on-failure' })).send({ kind: 'start' });
    rig.exit('main', 1).advance(100 * USEC_PER_MSEC);
    runRestartJobs(rig);
    expect(rig.sub).toBe('failed');
    expect(rig.rt.result).toBe('exit-code');
    expect(rig.rt.nRestarts).toBe(5);
    expect(rig.rt.startLimitHit).toBe(true);
    expect(rig.outcome).toBe('refused');
    expect(rig.logs().slice(-3)).toEqual([
      'Scheduled restart job, restart counter is at 5.',
      'Start request repeated too quickly.',
      "Failed with result 'exit-code'.",
    ]);
    expect(rig.of('start-limit-hit')).toHaveLength(1);
  });

  test('manual starts that hit the limit: Result=start-limit-hit', () => {
    const rig = new Rig(service({ type: 'oneshot', execStart: [cmd('/bin/true')] }));
    for (let i = 0; i < 5; i++) rig.send({ kind: 'start' }).exit('main', 0);
    expect(rig.sub).toBe('dead');
    rig.send({ kind: 'start' });
    expect(rig.outcome).toBe('refused');
    expect(rig.sub).toBe('failed');
    expect(rig.rt.result).toBe('start-limit-hit');
    expect(rig.logs().slice(-2)).toEqual(['Start request repeated too quickly.', "Failed with result 'start-limit-hit'."]);
  });

  test('reset-failed clears the limit, the result and the counter', () => {
    const rig = new Rig(service({ type: 'oneshot', execStart: [cmd('/bin/true')] }));
    for (let i = 0; i < 5; i++) rig.send({ kind: 'start' }).exit('main', 0);
    rig.send({ kind: 'start' });
    expect(rig.sub).toBe('failed');
    rig.send({ kind: 'reset-failed' });
    expect(rig.sub).toBe('dead');
    expect(rig.rt.result).toBe('success');
    rig.send({ kind: 'start' });
    expect(rig.outcome).toBe('accepted');
  });

  test('the window reopens after StartLimitIntervalSec=', () => {
    const rig = new Rig(service({ type: 'oneshot', execStart: [cmd('/bin/true')] }));
    for (let i = 0; i < 5; i++) rig.send({ kind: 'start' }).exit('main', 0);
    rig.advance(10 * S + 1).send({ kind: 'start' });
    expect(rig.outcome).toBe('accepted');
  });

  test('a manual start after a run without restart resets NRestarts', () => {
    const rig = new Rig(service({ restart: 'on-failure', restartPreventExitStatus: { statuses: [2], signals: [] } })).send({ kind: 'start' });
    rig.exit('main', 1).advance(100 * USEC_PER_MSEC).send({ kind: 'stop' }).send({ kind: 'start' });
    expect(rig.rt.nRestarts).toBe(1);
    rig.exit('main', 2);
    expect(rig.sub).toBe('failed');
    expect(rig.rt.nRestarts).toBe(1);
    rig.send({ kind: 'start' });
    expect(rig.rt.nRestarts).toBe(0);
  });
});
