// Ordering end to end (systemd.unit(5) Before=/After=): reverse edges, jobs that wait for the units they
// are ordered after to finish, conditions and asserts evaluated when the job runs, targets, cycles.
import { afterEach, describe, expect, test } from 'vitest';
import { JobFailedError } from '../../src/api/index.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { bootUnits, LONG, ONESHOT, settle } from './dependencies-rig.js';
import { messagesOf, shutdownSupervisors } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

const SLOW = '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sleep 0.3\n';

describe('Before=/After=', () => {
  test('show lists the reverse edge: a Before=b gives b After=a', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nBefore=b.service\n${ONESHOT}`, 'b.service': ONESHOT });
    expect(sv.show('b.service')['After']?.split(' ')).toContain('a.service');
    expect(sv.show('a.service')['Before']?.split(' ')).toContain('b.service');
  });

  test('a job waits until the job it is ordered after has finished, not merely started', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nWants=b.service\nAfter=b.service\n${ONESHOT}`, 'b.service': SLOW });
    const job = sv.enqueue('start', 'a.service');
    await sv.waitFor('b.service', 'activating');
    const jobs = sv.listJobs().map((j) => `${j.unit} ${j.type} ${j.state}`).sort();
    expect(jobs).toEqual(['a.service start waiting', 'b.service start running']);
    await job.finished;
    const order = messagesOf(sv, 'a.service', 'b.service');
    expect(order.indexOf('Starting a.service...')).toBeGreaterThan(order.indexOf('Finished b.service.'));
  });

  test('stop jobs run in reverse order', async () => {
    const slowStop = '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\nExecStop=/bin/sleep 0.2\n';
    const sv = await bootUnits({ 'a.service': `[Unit]\nBefore=b.service\nRequires=b.service\n${slowStop}`, 'b.service': slowStop });
    await sv.start('a.service');
    await sv.waitFor('b.service', 'active'); // its start job ran after a's finished
    await sv.stop('b.service');
    await sv.waitFor('a.service', 'inactive');
    expect(messagesOf(sv, 'a.service', 'b.service').filter((m) => m.startsWith('Stop'))).toEqual(['Stopping b.service...', 'Stopped b.service.', 'Stopping a.service...', 'Stopped a.service.']);
  });
});

describe('Condition*= and Assert*=, evaluated when the job runs', () => {
  test('a failed Condition skips the unit gracefully, and the unit still counts as done for ordering', async () => {
    const sv = await bootUnits({
      'cond.service': '[Unit]\nConditionPathExists=/nonexistent\nBefore=after.service\n[Service]\nType=oneshot\nExecStart=/bin/sleep 1\n',
      'after.service': `[Unit]\nWants=cond.service\n${ONESHOT}`,
    });
    await sv.start('after.service');
    // systemd 252 (oracle): the skip line, no Starting/Finished, Result=success, ConditionResult=no.
    expect(messagesOf(sv, 'cond.service')).toEqual(['cond.service was skipped because of an unmet condition check (ConditionPathExists=/nonexistent).']);
    expect(sv.show('cond.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success', ConditionResult: 'no' });
    expect(sv.activeState('after.service')).toBe('active');
  });

  test('the condition is tested when the job runs, not when it is queued', async () => {
    const flag = `${useTmpUnits({}).dir}/flag`;
    const sv = await bootUnits({
      'first.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sh -c "sleep 0.2; touch $FLAG"\nEnvironment=FLAG=' + flag + '\n',
      'second.service': `[Unit]\nConditionPathExists=${flag}\nRequires=first.service\nAfter=first.service\n${ONESHOT}`,
    });
    await sv.start('second.service');
    expect(sv.show('second.service')).toMatchObject({ ActiveState: 'active', ConditionResult: 'yes' });
  });

  test('a failed Assert fails the job with result assert; the unit stays inactive with Result=success', async () => {
    const sv = await bootUnits({ 'assert.service': `[Unit]\nAssertPathExists=/nonexistent\n${ONESHOT}` });
    const error = await settle(sv.start('assert.service'));
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).outcome).toMatchObject({ kind: 'finished', result: 'assert' });
    expect(messagesOf(sv, 'assert.service')).toEqual(['assert.service: Starting requested but asserts failed.', 'Assertion failed for assert.service.']);
    expect(sv.show('assert.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success', AssertResult: 'no' });
  });
});

describe('targets', () => {
  test('a target waits for the units it wants (DefaultDependencies= adds After=) and says "Reached target X."', async () => {
    const sv = await bootUnits({ 't.target': '[Unit]\nDescription=Test Target\nWants=tw.service\n', 'tw.service': SLOW });
    await sv.start('t.target');
    const order = messagesOf(sv, 't.target', 'tw.service');
    expect(order).toEqual(['Starting tw.service...', 'Finished tw.service.', 'Reached target t.target - Test Target.']);
    // systemd 252 (oracle): show tw.service -p WantedBy,After,Before
    const tw = sv.show('tw.service');
    expect(tw['WantedBy']).toBe('t.target');
    expect(tw['Before']?.split(' ').sort()).toEqual(['shutdown.target', 't.target']);
    expect(tw['After']?.split(' ')).toEqual(expect.arrayContaining(['basic.target', 'sysinit.target']));
    expect(tw['Requires']).toBe('sysinit.target');
    expect(tw['Conflicts']).toBe('shutdown.target');
  });

  test('DefaultDependencies=no drops the implicit edges', async () => {
    const sv = await bootUnits({ 'bare.service': `[Unit]\nDefaultDependencies=no\n${LONG}` });
    expect(sv.show('bare.service')).toMatchObject({ After: '', Requires: '', Conflicts: '' });
  });
});

describe('ordering cycles', () => {
  test('a cycle through a Wants= job is broken by deleting that job, with systemd\'s lines', async () => {
    const sv = await bootUnits({ 'cya.service': `[Unit]\nAfter=cyb.service\nWants=cyb.service\n${ONESHOT}`, 'cyb.service': `[Unit]\nAfter=cya.service\n${ONESHOT}` });
    await sv.start('cya.service');
    expect(sv.activeState('cyb.service')).toBe('inactive');
    // systemd 252 (oracle) once printed, filed under cyb.service:
    //   cyb.service: Found ordering cycle on cya.service/start
    //   cyb.service: Found dependency on cyb.service/start
    //   cyb.service: Job cyb.service/start deleted to break ordering cycle starting with cyb.service/start
    // It walks its jobs in hashmap order, so the cycle may as well be reported starting from cya.
    const lines = sv.logs(['cya.service', 'cyb.service']).flatMap((e) => (e.kind === 'log' && / cycle |Found dependency/.test(e.msg) ? [`${e.unit}|${e.msg}`] : []));
    const [start, other] = lines[0]?.startsWith('cya') ? ['cya.service', 'cyb.service'] : ['cyb.service', 'cya.service'];
    expect(lines).toEqual([
      `${start}|${start}: Found ordering cycle on ${other}/start`,
      `${start}|${start}: Found dependency on ${start}/start`,
      `${start}|${start}: Job cyb.service/start deleted to break ordering cycle starting with ${start}/start`,
    ]);
  });

  test('an unbreakable cycle fails the request: "Transaction order is cyclic"', async () => {
    const sv = await bootUnits({
      'uxa.service': `[Unit]\nRequires=uxb.service\nAfter=uxb.service\n${ONESHOT}`,
      'uxb.service': `[Unit]\nRequires=uxa.service\nAfter=uxa.service\n${ONESHOT}`,
    });
    const queued = sv.enqueue('start', 'uxa.service').queued;
    expect(queued).toMatchObject({ kind: 'refused', message: 'Transaction order is cyclic. See system logs for details.' });
    expect(messagesOf(sv, 'uxa.service')).toContain('uxa.service: Unable to break cycle starting with uxa.service/start');
    expect(sv.listJobs()).toEqual([]);
  });
});
