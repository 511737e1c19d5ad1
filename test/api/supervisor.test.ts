// The in-process API end to end: real unit files, real processes, states and output read back.
import { afterEach, describe, expect, test } from 'vitest';
import { Supervisor, JobFailedError, type OutputBlock } from '../../src/api/index.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { puppet, useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(expectNoLeakedProcesses);

async function boot(units: Record<string, string>): Promise<Supervisor> {
  const dir = useTmpUnits(units).dir;
  const sv = await Supervisor.boot({ unitPath: [dir] });
  return sv;
}

describe('Supervisor', () => {
  test('starts a simple service, reports it running with its main PID, and stops it', async () => {
    const sv = await boot({ 'sleeper.service': '[Unit]\nDescription=Sleeper\n[Service]\nExecStart=/bin/sleep 30\n' });
    try {
      const outcome = await sv.start('sleeper.service');
      expect(outcome).toMatchObject({ kind: 'finished', result: 'done' });
      const info = sv.status('sleeper.service')!;
      expect(info.activeState).toBe('active');
      expect(info.subState).toBe('running');
      expect(info.mainPid).toBeGreaterThan(0);
      expect(info.processes.map((p) => p.pid)).toContain(info.mainPid);
      const log = sv.logs(['sleeper.service']).map((e) => (e.kind === 'log' ? e.msg : e.line));
      expect(log).toContain('Started sleeper.service - Sleeper.');
      expect(log).not.toContain('Starting sleeper.service - Sleeper...');
      await sv.stop('sleeper.service');
      expect(sv.show('sleeper.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success', MainPID: '0' });
      const after = sv.logs(['sleeper.service']).map((e) => (e.kind === 'log' ? e.msg : ''));
      expect(after).toEqual(expect.arrayContaining(['Stopping sleeper.service - Sleeper...', 'sleeper.service: Deactivated successfully.', 'Stopped sleeper.service - Sleeper.']));
    } finally {
      await sv.shutdown();
    }
  });

  test('a oneshot with RemainAfterExit is "Finished" and stays active (exited), with its environment', async () => {
    const sv = await boot({
      'setup.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nEnvironment=GREETING=hello "NAME=two words"\nExecStart=/bin/sh -c \'echo "$GREETING $NAME"\'\n',
    });
    try {
      await sv.start('setup.service');
      expect(sv.activeState('setup.service')).toBe('active');
      expect(sv.status('setup.service')!.subState).toBe('exited');
      expect(sv.output('setup.service')).toEqual(['hello two words']);
      const msgs = sv.logs(['setup.service']).flatMap((e) => (e.kind === 'log' ? [e.msg] : []));
      expect(msgs).toEqual(['Starting setup.service...', 'Finished setup.service.']);
    } finally {
      await sv.shutdown();
    }
  });

  test('output blocks taken with on(listener, onOutput) may be kept: the next read from the pipe does not change them', async () => {
    const sv = await boot({ 'count.service': '[Service]\nType=oneshot\nExecStart=/usr/bin/seq 1 200000\n' });
    const kept: OutputBlock[] = [];
    const off = sv.on(() => {}, (block) => void (block.unit === 'count.service' && kept.push(block)));
    try {
      await sv.start('count.service');
      await sv.waitForOutput('count.service', /^200000$/);
      expect(kept.length).toBeGreaterThan(1);
      const numbers = kept.flatMap((block) => block.text.split('\n').slice(0, -1)).map(Number);
      expect(numbers).toEqual(Array.from({ length: 200000 }, (_, i) => i + 1));
    } finally {
      off();
      await sv.shutdown();
    }
  });

  test('a failing service ends failed with Result=exit-code and the start rejects', async () => {
    const sv = await boot({ 'broken.service': `[Service]\nType=oneshot\nExecStart=${puppet('exit-with', 3)}\n` });
    try {
      const error = await sv.start('broken.service').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobFailedError);
      expect((error as JobFailedError).outcome).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
      expect(sv.show('broken.service')).toMatchObject({ ActiveState: 'failed', Result: 'exit-code', ExecMainCode: '1', ExecMainStatus: '3' });
      const msgs = sv.logs(['broken.service']).flatMap((e) => (e.kind === 'log' ? [e.msg] : []));
      expect(msgs).toEqual([
        'Starting broken.service...',
        'broken.service: Main process exited, code=exited, status=3/NOTIMPLEMENTED',
        "broken.service: Failed with result 'exit-code'.",
        'Failed to start broken.service.',
      ]);
    } finally {
      await sv.shutdown();
    }
  });

  test('inline unit texts boot without a directory, and waitFor follows a unit to a state', async () => {
    const sv = await Supervisor.boot({ units: { 'late.service': `[Service]\nExecStart=${puppet('exit-with', 0, '--after', 200)}\n` } });
    try {
      sv.enqueue('start', 'late.service');
      await sv.waitFor('late.service', 'active');
      await sv.waitFor('late.service', 'inactive', { timeout: 5000 });
      expect(sv.show('late.service').Result).toBe('success');
    } finally {
      await sv.shutdown();
    }
  });

  test('an unknown unit is refused with systemctl\'s words', async () => {
    const sv = await boot({});
    try {
      const { queued } = sv.enqueue('start', 'nosuch.service');
      expect(queued).toEqual({ unit: 'nosuch.service', kind: 'refused', code: 'unit-not-found', message: 'Unit nosuch.service not found.' });
      expect(sv.status('nosuch.service')).toBeUndefined();
      expect(sv.show('nosuch.service')).toMatchObject({ LoadState: 'not-found', ActiveState: 'inactive' });
    } finally {
      await sv.shutdown();
    }
  });

  test('shutdown stops running units and leaves no process behind', async () => {
    const sv = await boot({
      'a.service': '[Service]\nExecStart=/bin/sleep 60\n',
      'b.service': '[Unit]\nAfter=a.service\n[Service]\nExecStart=/bin/sleep 60\n',
    });
    await sv.start('a.service');
    await sv.start('b.service');
    await sv.shutdown();
    expect(sv.activeState('a.service')).toBe('inactive');
    expect(sv.activeState('b.service')).toBe('inactive');
  });
});
