// Requirement dependencies end to end (systemd.unit(5)): Requires=, Requisite=, Wants=, BindsTo=,
// PartOf=, Upholds=, Conflicts=, OnFailure=, OnSuccess=, with real processes.
import { afterEach, describe, expect, test } from 'vitest';
import { mkdirSync, symlinkSync } from 'node:fs';
import { JobFailedError, Supervisor } from '../../src/api/index.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { bootUnits, LONG, ONESHOT, settle } from './dependencies-rig.js';
import { messagesOf, shutdownSupervisors } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

describe('Requires=', () => {
  test('pulls the required unit in', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nRequires=b.service\n${LONG}`, 'b.service': LONG });
    await sv.start('a.service');
    await sv.waitFor('b.service', 'active');
    expect(sv.activeState('a.service')).toBe('active');
    expect(messagesOf(sv, 'b.service')).toContain('Started b.service.');
  });

  test('an explicit stop of the required unit stops the requiring one too', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nRequires=b.service\n${LONG}`, 'b.service': LONG });
    await sv.start('a.service');
    await sv.stop('b.service');
    // a's stop job runs beside b's (no ordering between them): the stop of b does not wait for it.
    await sv.waitFor('a.service', 'inactive');
    expect(messagesOf(sv, 'a.service')).toContain('Stopped a.service.');
  });

  test('a required unit stopping on its own does not stop the requiring one', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nRequires=b.service\n${LONG}`, 'b.service': '[Service]\nExecStart=/bin/sleep 0.3\n' });
    await sv.start('a.service');
    await sv.waitFor('b.service', 'inactive');
    expect(sv.activeState('a.service')).toBe('active');
    expect(sv.listJobs()).toEqual([]);
  });

  test('with After=, a failed required unit fails the dependant with result dependency; it stays inactive (dead), Result=success', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nRequires=b.service\nAfter=b.service\n${ONESHOT}`, 'b.service': '[Service]\nType=oneshot\nExecStart=/bin/false\n' });
    const error = await settle(sv.start('a.service'));
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).outcome).toMatchObject({ kind: 'finished', result: 'dependency' });
    expect(messagesOf(sv, 'a.service')).toEqual(['Dependency failed for a.service.', "a.service: Job a.service/start failed with result 'dependency'."]);
    expect(sv.show('a.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success' });
  });

  test('without After=, both start in parallel and the dependant is not failed', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nRequires=b.service\n${LONG}`, 'b.service': '[Service]\nType=oneshot\nExecStart=/bin/sh -c "sleep 0.3; exit 1"\n' });
    const a = sv.start('a.service');
    await a;
    expect(sv.activeState('b.service')).toBe('activating');
    await sv.waitFor('b.service', 'failed');
    expect(sv.activeState('a.service')).toBe('active');
    expect(messagesOf(sv, 'a.service')).not.toContain('Dependency failed for a.service.');
  });
});

describe('Requires= and missing units, restarts', () => {
  test('a restart of the required unit restarts the requiring one (systemd 252: "Converting job ...")', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nRequires=b.service\n${LONG}`, 'b.service': LONG });
    await sv.start('a.service');
    await sv.waitFor('b.service', 'active');
    const pid = sv.status('a.service')!.mainPid;
    await sv.restart('b.service');
    await sv.waitFor('a.service', (info) => info.activeState === 'active' && info.mainPid !== pid);
    expect(messagesOf(sv, 'a.service')).toEqual(['Started a.service.', 'Stopping a.service...', 'a.service: Deactivated successfully.', 'Stopped a.service.', 'Started a.service.']);
    expect(sv.show('a.service')['NRestarts']).toBe('0');
  });

  test('a missing Wants= unit is skipped silently; a missing Requires= unit refuses the request', async () => {
    const sv = await bootUnits({ 'wx.service': `[Unit]\nWants=nosuch.service\n${ONESHOT}`, 'wa.service': `[Unit]\nWants=nosuch.service\nRequires=nosuch2.service\n${ONESHOT}` });
    await sv.start('wx.service');
    // systemd 252 (oracle): no line at all about nosuch.service, even at debug level.
    expect(messagesOf(sv)).not.toEqual(expect.arrayContaining([expect.stringContaining('nosuch.service')]));
    expect(sv.enqueue('start', 'wa.service').queued).toMatchObject({ kind: 'refused', message: 'Unit nosuch2.service not found.' });
    expect(sv.activeState('wa.service')).toBe('inactive');
  });
});

describe('Requisite=', () => {
  test('fails at once when the unit is not active, and starts when it is', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nRequisite=b.service\nAfter=b.service\n${ONESHOT}`, 'b.service': LONG });
    const error = await settle(sv.start('a.service'));
    // systemd 252 (oracle): b gets a verify-active job (result skipped), a fails with result 'dependency'.
    expect((error as JobFailedError).outcome).toMatchObject({ kind: 'finished', result: 'dependency' });
    expect(messagesOf(sv, 'a.service')).toEqual(['Dependency failed for a.service.', "a.service: Job a.service/start failed with result 'dependency'."]);
    expect(sv.activeState('b.service')).toBe('inactive');
    expect(sv.show('a.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success' });
    await sv.start('b.service');
    await sv.start('a.service');
    expect(sv.activeState('a.service')).toBe('active');
  });
});

describe('Wants=', () => {
  test('a wanted unit that fails or does not exist does not stop the wanting one', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nWants=b.service nosuch.service\nAfter=b.service\n${ONESHOT}`, 'b.service': '[Service]\nType=oneshot\nExecStart=/bin/false\n' });
    await sv.start('a.service');
    expect(sv.activeState('a.service')).toBe('active');
    expect(sv.activeState('b.service')).toBe('failed');
  });
});

describe('BindsTo=', () => {
  test('the bound unit going inactive on its own stops the binding unit', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nBindsTo=b.service\nAfter=b.service\n${LONG}`, 'b.service': LONG });
    await sv.start('a.service');
    expect(sv.activeState('b.service')).toBe('active');
    sv.kill('b.service', 15);
    await sv.waitFor('a.service', 'inactive');
    expect(messagesOf(sv, 'a.service')).toEqual(['Started a.service.', 'Stopping a.service...', 'a.service: Deactivated successfully.', 'Stopped a.service.']);
  });
});

describe('PartOf=', () => {
  test('stop and restart of the unit propagate to its parts', async () => {
    const sv = await bootUnits({ 'part.service': `[Unit]\nPartOf=whole.service\n${LONG}`, 'whole.service': LONG });
    await sv.start('whole.service');
    await sv.start('part.service');
    const pid = sv.status('part.service')!.mainPid;
    await sv.restart('whole.service');
    // The part's jobs are in the same transaction but not ordered with the whole's: they end on their own.
    await sv.waitFor('part.service', (info) => info.activeState === 'active' && info.mainPid !== pid);
    await sv.stop('whole.service');
    await sv.waitFor('part.service', 'inactive');
    expect(messagesOf(sv, 'part.service').filter((m) => m === 'Stopped part.service.')).toHaveLength(2);
  });

  test('starting the unit does not start its parts', async () => {
    const sv = await bootUnits({ 'part.service': `[Unit]\nPartOf=whole.service\n${LONG}`, 'whole.service': LONG });
    await sv.start('whole.service');
    expect(sv.activeState('part.service')).toBe('inactive');
  });
});

describe('Upholds=', () => {
  test('an upheld unit that stops is started again while the upholding unit is active', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nUpholds=b.service\n${ONESHOT}`, 'b.service': '[Service]\nExecStart=/bin/sleep 0.2\n' });
    await sv.start('a.service');
    await expect.poll(() => messagesOf(sv, 'b.service').filter((m) => m === 'Started b.service.').length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    // systemd 252 (oracle): no restart is counted, the upholding unit restarts it.
    expect(messagesOf(sv, 'b.service')).toContain('b.service: Unit is started because upheld by active unit a.service.');
    expect(sv.show('b.service')['NRestarts']).toBe('0');
  });
});

describe('Conflicts=', () => {
  test('starting one stops the other; they are never both active', async () => {
    const sv = await bootUnits({ 'a.service': `[Unit]\nConflicts=b.service\n${LONG}`, 'b.service': LONG });
    await sv.start('a.service');
    await sv.start('b.service');
    await sv.waitFor('a.service', 'inactive');
    await sv.start('a.service');
    await sv.waitFor('b.service', 'inactive');
    expect(sv.activeState('a.service')).toBe('active');
    expect(sv.show('b.service')['ConflictedBy']).toBe('a.service');
  });
});

describe('OnFailure= and OnSuccess=', () => {
  test('OnFailure= starts the handler when the unit fails', async () => {
    const sv = await bootUnits({ 'a.service': '[Unit]\nOnFailure=handler.service\n[Service]\nType=oneshot\nExecStart=/bin/false\n', 'handler.service': ONESHOT });
    await settle(sv.start('a.service'));
    await sv.waitFor('handler.service', 'active');
    expect(sv.show('handler.service')['OnFailureOf']).toBe('a.service');
    expect(messagesOf(sv, 'a.service')).toContain('a.service: Triggering OnFailure= dependencies.');
  });

  test('OnSuccess= starts the handler when the unit finishes successfully, and not on failure', async () => {
    const sv = await bootUnits({
      'good.service': '[Unit]\nOnSuccess=handler.service\n[Service]\nType=oneshot\nExecStart=/bin/true\n',
      'bad.service': '[Unit]\nOnSuccess=other.service\n[Service]\nType=oneshot\nExecStart=/bin/false\n',
      'handler.service': ONESHOT,
      'other.service': ONESHOT,
    });
    await sv.start('good.service');
    await sv.waitFor('handler.service', 'active');
    expect(messagesOf(sv, 'good.service')).toEqual(['Starting good.service...', 'good.service: Deactivated successfully.', 'Finished good.service.', 'good.service: Triggering OnSuccess= dependencies.']);
    await settle(sv.start('bad.service'));
    expect(sv.listJobs()).toEqual([]);
    expect(sv.activeState('other.service')).toBe('inactive');
  });
});

describe('.wants/ and .requires/ directories', () => {
  test('symlinks in X.wants/ and X.requires/ add Wants= and Requires=', async () => {
    const units = useTmpUnits({ 't.target': '[Unit]\nDescription=T\n', 'w.service': ONESHOT, 'r.service': ONESHOT });
    mkdirSync(`${units.dir}/t.target.wants`);
    mkdirSync(`${units.dir}/t.target.requires`);
    symlinkSync(`${units.dir}/w.service`, `${units.dir}/t.target.wants/w.service`);
    symlinkSync(`${units.dir}/r.service`, `${units.dir}/t.target.requires/r.service`);
    const sv = await Supervisor.boot({ unitPath: [units.dir] });
    try {
      expect(sv.show('t.target')).toMatchObject({ Wants: 'w.service', Requires: 'r.service' });
      expect(sv.show('w.service')['WantedBy']).toBe('t.target');
      expect(sv.show('r.service')['RequiredBy']).toBe('t.target');
      await sv.start('t.target');
      expect(sv.activeState('w.service')).toBe('active');
      expect(sv.activeState('r.service')).toBe('active');
      expect(messagesOf(sv, 't.target')).toEqual(['Reached target t.target - T.']);
    } finally {
      await sv.shutdown();
    }
  });
});
