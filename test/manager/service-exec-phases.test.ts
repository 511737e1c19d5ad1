// The Exec*= phases in systemd's order with its failure rules and the variables systemd sets for each
// (systemd.service(5) "ExecStartPre=", "ExecStopPost="; values checked against systemd 252 through the oracle).
import { afterEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { puppet } from '../helpers/use-tmp-units.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

/** An Exec line that appends "NAME k=v..." (the given variables) to RECORD. */
const record = (file: string, name: string, vars: readonly string[] = []) =>
  `/bin/sh -c 'echo "${name}${vars.map((v) => ` ${v}=$${v}`).join('')}" >> ${file}'`;
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

describe('order and variables', () => {
  test('condition, start-pre, start, start-post, reload, stop, stop-post run in order; $MAINPID where systemd sets it', async () => {
    const { sv, units } = await supervise({});
    const file = join(units.dir, 'record');
    const vars = ['MAINPID', 'SERVICE_RESULT', 'EXIT_CODE', 'EXIT_STATUS'];
    units.write(
      'p.service',
      [
        '[Service]',
        `ExecCondition=${record(file, 'condition', vars)}`,
        `ExecStartPre=${record(file, 'start-pre', vars)}`,
        'ExecStart=/bin/sleep 30',
        `ExecStartPost=${record(file, 'start-post', vars)}`,
        `ExecReload=${record(file, 'reload', vars)}`,
        `ExecStop=${record(file, 'stop', vars)}`,
        `ExecStopPost=${record(file, 'stop-post', vars)}`,
        '',
      ].join('\n'),
    );
    await sv.start('p.service');
    const main = sv.show('p.service')['MainPID'];
    await sv.reloadUnit('p.service');
    await sv.stop('p.service');
    // systemd 252: no $MAINPID before the main process exists nor after it is gone; $SERVICE_RESULT in
    // ExecStop= and ExecStopPost=; $EXIT_CODE/$EXIT_STATUS once the main process has exited.
    expect(lines(file)).toEqual([
      'condition MAINPID= SERVICE_RESULT= EXIT_CODE= EXIT_STATUS=',
      'start-pre MAINPID= SERVICE_RESULT= EXIT_CODE= EXIT_STATUS=',
      `start-post MAINPID=${main} SERVICE_RESULT= EXIT_CODE= EXIT_STATUS=`,
      `reload MAINPID=${main} SERVICE_RESULT= EXIT_CODE= EXIT_STATUS=`,
      `stop MAINPID=${main} SERVICE_RESULT=success EXIT_CODE= EXIT_STATUS=`,
      'stop-post MAINPID= SERVICE_RESULT=success EXIT_CODE=killed EXIT_STATUS=TERM',
    ]);
    expect(messagesOf(sv, 'p.service')).toEqual([
      'Starting p.service...',
      'Started p.service.',
      'Reloading p.service...',
      'Reloaded p.service.',
      'Stopping p.service...',
      'p.service: Deactivated successfully.',
      'Stopped p.service.',
    ]);
  });

  test('ExecStopPost= sees how the main process ended: exit-code, exited, 3', async () => {
    const { sv, units } = await supervise({});
    const file = join(units.dir, 'record');
    units.write('x.service', `[Service]\nExecStart=${puppet('exit-with', 3, '--after', 100)}\nExecStopPost=${record(file, 'stop-post', ['SERVICE_RESULT', 'EXIT_CODE', 'EXIT_STATUS', 'MAINPID'])}\n`);
    await sv.start('x.service');
    await sv.waitFor('x.service', 'failed', { timeout: 5000 });
    expect(lines(file)).toEqual(['stop-post SERVICE_RESULT=exit-code EXIT_CODE=exited EXIT_STATUS=3 MAINPID=']);
    expect(sv.show('x.service')).toMatchObject({ Result: 'exit-code', ExecMainCode: '1', ExecMainStatus: '3' });
  });
});

describe('failure rules', () => {
  test('a failing ExecStartPre= fails the start; ExecStart= never runs; ExecStopPost= still runs', async () => {
    const { sv, units } = await supervise({});
    const file = join(units.dir, 'record');
    units.write(
      'f.service',
      `[Service]\nType=oneshot\nExecStartPre=/bin/sh -c 'exit 4'\nExecStart=${record(file, 'start')}\nExecStopPost=${record(file, 'stop-post', ['SERVICE_RESULT', 'EXIT_CODE', 'EXIT_STATUS'])}\n`,
    );
    expect(await tryStart(sv, 'f.service')).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
    expect(lines(file)).toEqual(['stop-post SERVICE_RESULT=exit-code EXIT_CODE= EXIT_STATUS=']);
    expect(sv.show('f.service')).toMatchObject({ ActiveState: 'failed', Result: 'exit-code', ExecMainCode: '0', ExecMainStatus: '0' });
    expect(messagesOf(sv, 'f.service')).toEqual([
      'Starting f.service...',
      'f.service: Control process exited, code=exited, status=4/NOPERMISSION',
      "f.service: Failed with result 'exit-code'.",
      'Failed to start f.service.',
    ]);
  });

  test('"-" ignores a failing ExecStartPre= and a missing one', async () => {
    const { sv, units } = await supervise({});
    const file = join(units.dir, 'record');
    units.write('d.service', `[Service]\nType=oneshot\nExecStartPre=-/bin/sh -c 'exit 7'\nExecStartPre=-/nonexistent/x\nExecStart=${record(file, 'start')}\n`);
    await sv.start('d.service');
    expect(lines(file)).toEqual(['start']);
    expect(sv.show('d.service')).toMatchObject({ ActiveState: 'inactive', Result: 'success' });
    expect(messagesOf(sv, 'd.service')).toEqual([
      'Starting d.service...',
      'd.service: Executable /nonexistent/x missing, skipping: No such file or directory',
      'd.service: Deactivated successfully.',
      'Finished d.service.',
    ]);
    // systemd logs the skip at LOG_INFO: no error line at boot for a "-" command that is not installed.
    expect(sv.logs(['d.service']).find((e) => e.kind === 'log' && e.msg.includes('missing, skipping'))).toMatchObject({ level: 'info' });
  });

  test('ExecCondition= exiting 1 skips the unit without failing it', async () => {
    const { sv, units } = await supervise({});
    const file = join(units.dir, 'record');
    units.write('c.service', `[Service]\nExecCondition=/bin/sh -c 'exit 1'\nExecStart=${record(file, 'start')}\n`);
    expect(await tryStart(sv, 'c.service')).toMatchObject({ kind: 'finished', result: 'done' });
    expect(sv.show('c.service')).toMatchObject({ ActiveState: 'inactive', SubState: 'dead', Result: 'success' });
    expect(() => readFileSync(file)).toThrow();
    expect(messagesOf(sv, 'c.service')).toEqual([
      'Starting c.service...',
      "c.service: Skipped due to 'exec-condition'.",
      'Condition check resulted in c.service being skipped.',
    ]);
  });

  test('ExecCondition= exiting 255 fails the unit', async () => {
    const { sv } = await supervise({ 'c.service': "[Service]\nExecCondition=/bin/sh -c 'exit 255'\nExecStart=/bin/sleep 30\n" });
    expect(await tryStart(sv, 'c.service')).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
    expect(sv.show('c.service')).toMatchObject({ ActiveState: 'failed', Result: 'exit-code' });
    expect(messagesOf(sv, 'c.service')).toEqual([
      'Starting c.service...',
      'c.service: Condition check process exited, code=exited, status=255/EXCEPTION',
      "c.service: Failed with result 'exit-code'.",
      'Failed to start c.service.',
    ]);
  });

  test('a failing ExecStartPost= fails the start and stops the main process', async () => {
    const { sv, units } = await supervise({});
    const file = join(units.dir, 'record');
    units.write('s.service', `[Service]\nExecStart=/bin/sleep 30\nExecStartPost=/bin/sh -c 'exit 2'\nExecStopPost=${record(file, 'stop-post', ['SERVICE_RESULT', 'EXIT_CODE', 'EXIT_STATUS'])}\n`);
    expect(await tryStart(sv, 's.service')).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
    expect(sv.show('s.service')).toMatchObject({ ActiveState: 'failed', Result: 'exit-code', MainPID: '0', ExecMainCode: '2', ExecMainStatus: '15' });
    expect(lines(file)).toEqual(['stop-post SERVICE_RESULT=exit-code EXIT_CODE=killed EXIT_STATUS=TERM']);
    expect(messagesOf(sv, 's.service')).toEqual([
      'Starting s.service...',
      's.service: Control process exited, code=exited, status=2/INVALIDARGUMENT',
      "s.service: Failed with result 'exit-code'.",
      'Failed to start s.service.',
    ]);
  });
});
