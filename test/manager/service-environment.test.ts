// The execution environment systemd gives a service: exactly its variables, Environment=/EnvironmentFile= order,
// credentials, working directory, umask and standard streams (systemd.exec(5); checked against systemd 252).
import { afterEach, describe, expect, test } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { messagesOf, shutdownSupervisors, supervise, tryStart } from './supervise.js';

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

/** `env`'s output as a map, minus the per-run values checked separately. */
function environmentOf(lines: readonly string[]): Record<string, string> {
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('environment', () => {
  test('the base environment is PATH, LANG, INVOCATION_ID and SYSTEMD_EXEC_PID, nothing of the manager\'s', async () => {
    const { sv } = await supervise({ 'e.service': '[Service]\nType=oneshot\nExecStart=/usr/bin/env\n' }, { environment: { LANG: 'C.UTF-8', SECRET: 'leak', PATH: '/manager/bin' } });
    await sv.start('e.service');
    const env = environmentOf(sv.output('e.service'));
    expect(Object.keys(env).sort()).toEqual(['INVOCATION_ID', 'LANG', 'PATH', 'SYSTEMD_EXEC_PID']);
    expect(env).toMatchObject({ LANG: 'C.UTF-8', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' });
    expect(env['INVOCATION_ID']).toMatch(/^[0-9a-f]{32}$/);
    expect(sv.show('e.service')['InvocationID']).toBe(env['INVOCATION_ID']);
    // env is exec'd by the helper in the same process: the pid systemd executed.
    expect(Number(env['SYSTEMD_EXEC_PID'])).toBe(Number(sv.show('e.service')['ExecMainPID']));
  });

  test('User= adds USER, LOGNAME and HOME (and no SHELL for a nologin shell); groups are the user\'s', async () => {
    const { sv } = await supervise({ 'u.service': '[Service]\nType=oneshot\nUser=daemon\nExecStart=/usr/bin/env\nExecStart=/usr/bin/id\n' });
    await sv.start('u.service');
    const out = sv.output('u.service');
    const env = environmentOf(out.slice(0, -1));
    expect(env).toMatchObject({ USER: 'daemon', LOGNAME: 'daemon', HOME: '/usr/sbin' });
    expect(env['SHELL']).toBeUndefined();
    expect(out.at(-1)).toBe('uid=1(daemon) gid=1(daemon) groups=1(daemon)');
  });

  test('User=nobody: USER and LOGNAME but no HOME (its home is /nonexistent)', async () => {
    const { sv } = await supervise({ 'n.service': '[Service]\nType=oneshot\nUser=nobody\nExecStart=/usr/bin/env\n' });
    await sv.start('n.service');
    const env = environmentOf(sv.output('n.service'));
    expect(env).toMatchObject({ USER: 'nobody', LOGNAME: 'nobody' });
    expect(env['HOME']).toBeUndefined();
  });

  test('Group= and SupplementaryGroups=', async () => {
    const { sv } = await supervise({ 'g.service': '[Service]\nType=oneshot\nUser=daemon\nGroup=daemon\nSupplementaryGroups=adm users\nExecStart=/usr/bin/id\n' });
    await sv.start('g.service');
    expect(sv.output('g.service')).toEqual(['uid=1(daemon) gid=1(daemon) groups=1(daemon),4(adm),100(users)']);
  });

  test('Environment= and EnvironmentFile= apply in order, files are read before each command, UnsetEnvironment= last', async () => {
    const { sv, units } = await supervise({});
    const e1 = join(units.dir, 'e1');
    const e2 = join(units.dir, 'e2');
    writeFileSync(e1, 'A=file1\nB=file1\n');
    units.write(
      'o.service',
      [
        '[Service]',
        'Type=oneshot',
        'Environment=A=env1 B=env1',
        `EnvironmentFile=${e1}`,
        'Environment=B=env2 C=env2',
        `EnvironmentFile=-${join(units.dir, 'missing')}`,
        `ExecStartPre=/bin/sh -c 'echo D=fromprestart > ${e2}'`,
        `EnvironmentFile=-${e2}`,
        'UnsetEnvironment=C',
        "ExecStartPre=/bin/sh -c 'echo pre A=$A B=$B C=$C D=$D'",
        "ExecStart=/bin/sh -c 'echo A=$A B=$B C=$C D=$D'",
        '',
      ].join('\n'),
    );
    await sv.start('o.service');
    // systemd merges Environment= first, then every EnvironmentFile= (whatever the lines' order).
    expect(sv.output('o.service')).toEqual(['pre A=file1 B=file1 C= D=fromprestart', 'A=file1 B=file1 C= D=fromprestart']);
  });

  test('Environment= may override SYSTEMD_EXEC_PID; UnsetEnvironment= removes it', async () => {
    const { sv } = await supervise({
      'o.service': "[Service]\nType=oneshot\nEnvironment=SYSTEMD_EXEC_PID=mine\nExecStart=/bin/sh -c 'echo $SYSTEMD_EXEC_PID'\n",
      'u.service': "[Service]\nType=oneshot\nUnsetEnvironment=SYSTEMD_EXEC_PID\nExecStart=/bin/sh -c 'echo $${SYSTEMD_EXEC_PID-unset}'\n",
    });
    await sv.start('o.service');
    await sv.start('u.service');
    expect(sv.output('o.service')).toEqual(['mine']);
    expect(sv.output('u.service')).toEqual(['unset']);
  });

  test('PassEnvironment= takes only the named variables from the manager', async () => {
    const { sv } = await supervise({ 'p.service': "[Service]\nType=oneshot\nPassEnvironment=FOO NOPE\nExecStart=/bin/sh -c 'echo FOO=$FOO NOPE=$${NOPE-unset} BAR=$${BAR-unset}'\n" }, { environment: { FOO: 'passed', BAR: 'kept-out' } });
    await sv.start('p.service');
    expect(sv.output('p.service')).toEqual(['FOO=passed NOPE=unset BAR=unset']);
  });

  test('a missing EnvironmentFile= (no "-") fails the start with Result=resources before anything runs', async () => {
    const { sv, units } = await supervise({});
    const file = join(units.dir, 'absent.env');
    units.write('r.service', `[Service]\nEnvironmentFile=${file}\nExecStart=/bin/sleep 30\n`);
    expect(await tryStart(sv, 'r.service')).toMatchObject({ result: 'failed', serviceResult: 'resources' });
    expect(sv.show('r.service')).toMatchObject({ ActiveState: 'failed', Result: 'resources', ExecMainCode: '0', MainPID: '0' });
    expect(messagesOf(sv, 'r.service')).toEqual([
      'r.service: Failed to load environment files: No such file or directory',
      "r.service: Failed to run 'start' task: No such file or directory",
      "r.service: Failed with result 'resources'.",
      'Failed to start r.service.',
    ]);
  });

  test('an unreadable EnvironmentFile= (a directory) fails with Result=resources, "Is a directory"', async () => {
    const { sv, units } = await supervise({});
    units.write('envdir/.keep', '');
    units.write('r.service', `[Service]\nEnvironmentFile=${join(units.dir, 'envdir')}\nExecStart=/bin/true\n`);
    expect(await tryStart(sv, 'r.service')).toMatchObject({ result: 'failed', serviceResult: 'resources' });
    expect(messagesOf(sv, 'r.service')).toEqual([
      'r.service: Failed to load environment files: Is a directory',
      "r.service: Failed to run 'start' task: Is a directory",
      "r.service: Failed with result 'resources'.",
      'Failed to start r.service.',
    ]);
  });
});

describe('working directory, umask, streams', () => {
  test('WorkingDirectory=-/missing falls back to /, UMask= applies', async () => {
    const { sv } = await supervise({ 'w.service': "[Service]\nType=oneshot\nWorkingDirectory=-/nonexistent\nUMask=0077\nExecStart=/bin/sh -c 'pwd; umask'\n" });
    await sv.start('w.service');
    expect(sv.output('w.service')).toEqual(['/', '0077']);
  });

  test('WorkingDirectory=~ is the User=\'s home', async () => {
    const { sv } = await supervise({ 'h.service': '[Service]\nType=oneshot\nUser=daemon\nWorkingDirectory=~\nExecStart=/bin/pwd\n' });
    await sv.start('h.service');
    expect(sv.output('h.service')).toEqual(['/usr/sbin']);
  });

  test('a missing WorkingDirectory= fails with 200/CHDIR and systemd\'s lines', async () => {
    const { sv } = await supervise({ 'w.service': '[Service]\nType=oneshot\nWorkingDirectory=/nonexistent\nExecStart=/bin/pwd\n' });
    expect(await tryStart(sv, 'w.service')).toMatchObject({ result: 'failed', serviceResult: 'exit-code' });
    expect(sv.show('w.service')).toMatchObject({ Result: 'exit-code', ExecMainCode: '1', ExecMainStatus: '200' });
    expect(messagesOf(sv, 'w.service')).toEqual([
      'Starting w.service...',
      'w.service: Changing to the requested working directory failed: No such file or directory',
      'w.service: Failed at step CHDIR spawning /bin/pwd: No such file or directory',
      'w.service: Main process exited, code=exited, status=200/CHDIR',
      "w.service: Failed with result 'exit-code'.",
      'Failed to start w.service.',
    ]);
  });

  test('StandardOutput=append:, StandardError=truncate:, and files created with the UMask=', async () => {
    const { sv, units } = await supervise({});
    const out = join(units.dir, 'out.log');
    const err = join(units.dir, 'err.log');
    writeFileSync(out, 'old\n');
    writeFileSync(err, 'old\n');
    const created = join(units.dir, 'created.log');
    units.write('s.service', `[Service]\nType=oneshot\nUMask=0077\nStandardOutput=append:${out}\nStandardError=truncate:${err}\nExecStart=/bin/sh -c 'echo out; echo err >&2'\n`);
    units.write('c.service', `[Service]\nType=oneshot\nUMask=0027\nStandardOutput=file:${created}\nExecStart=/bin/echo new\n`);
    await sv.start('s.service');
    expect(readFileSync(out, 'utf8')).toBe('old\nout\n');
    expect(readFileSync(err, 'utf8')).toBe('err\n');
    expect(sv.output('s.service')).toEqual([]);
    await sv.start('c.service');
    // systemd creates output files with 0666 & ~UMask=.
    expect(statSync(created).mode & 0o777).toBe(0o640);
  });

  test('StandardOutput=file: overwrites from the start without truncating; null discards; StandardInput=null reads EOF', async () => {
    const { sv, units } = await supervise({});
    const out = join(units.dir, 'file.log');
    writeFileSync(out, 'XXXXXXXXXX\n');
    units.write('f.service', `[Service]\nType=oneshot\nStandardOutput=file:${out}\nExecStart=/bin/echo ab\n`);
    units.write('n.service', "[Service]\nType=oneshot\nStandardOutput=null\nStandardError=journal\nExecStart=/bin/sh -c 'echo hidden; cat; echo shown >&2'\n");
    await sv.start('f.service');
    expect(readFileSync(out, 'utf8')).toBe('ab\nXXXXXXX\n');
    await sv.start('n.service');
    expect(sv.output('n.service')).toEqual(['shown']);
  });

  test('StandardOutput=journal lines carry the process\'s pid', async () => {
    const { sv } = await supervise({ 'j.service': "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo to-out; echo to-err >&2'\n" });
    await sv.start('j.service');
    const entries = sv.logs(['j.service']).flatMap((e) => (e.kind === 'output' ? [e] : []));
    expect(entries.map((e) => [e.stream, e.line])).toEqual([['stdout', 'to-out'], ['stderr', 'to-err']]);
    expect(entries[0]!.pid).toBe(Number(sv.show('j.service')['ExecMainPID']));
  });
});
