// unitvisor-exec against real processes: systemd.exec(5) steps and systemd 252's exit statuses (exit-status.h).
import { describe, test, expect, onTestFinished, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { loadNative } from '../../src/process/native.js';

const helper = loadNative().execHelperPath;
const PATH = '/usr/local/bin:/usr/bin:/bin';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-exec-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs the helper to completion with a clean environment, like a service. */
function exec(args: string[], env: NodeJS.ProcessEnv = { PATH }): { status: number | null; stdout: string; stderr: string } {
  const out = spawnSync(helper, args, { env, encoding: 'utf8', timeout: 10_000 });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('failures exit with systemd exit statuses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-exec-table-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const plain = join(dir, 'not-executable');
  writeFileSync(plain, '#!/bin/sh\necho hi\n');
  const garbage = join(dir, 'garbage');
  writeFileSync(garbage, 'not a program\n');
  chmodSync(garbage, 0o755);

  test.each([
    ['missing binary', 203, ['--', '/nonexistent/x', 'x'], 'EXEC spawning /nonexistent/x: No such file or directory'],
    ['non-executable file', 203, ['--', plain, 'p'], `EXEC spawning ${plain}: Permission denied`],
    ['file without a #! line (execve, not execvp)', 203, ['--', garbage, 'g'], `EXEC spawning ${garbage}: Exec format error`],
    ['name not found in $PATH', 203, ['--', 'no-such-command-xyz', 'n'], 'EXEC spawning no-such-command-xyz: No such file or directory'],
    ['missing WorkingDirectory=', 200, ['--chdir', '/nonexistent', '--', '/bin/true', 'true'], 'CHDIR spawning /bin/true: No such file or directory'],
    ['unknown User=', 217, ['--user', 'no-such-user-xyz', '--', '/bin/true', 'true'], 'USER spawning /bin/true: No such process'],
    ['unknown Group=', 216, ['--group', 'no-such-group-xyz', '--', '/bin/true', 'true'], 'GROUP spawning /bin/true: No such process'],
    ['unknown SupplementaryGroups=', 216, ['--supplementary-groups', 'daemon,no-such-group', '--', '/bin/true', 'true'], 'GROUP spawning'],
    ['missing StandardInput=file:', 208, ['--stdin-file', '/nonexistent/in', '--', '/bin/true', 'true'], 'STDIN spawning /bin/true'],
    ['StandardOutput=file: in a missing directory', 209, ['--stdout-file', '/nonexistent/out', '--', '/bin/true', 'true'], 'STDOUT spawning'],
    ['StandardOutput=append: in a missing directory', 209, ['--stdout-append', '/nonexistent/out', '--', '/bin/true', 'true'], 'STDOUT spawning'],
    ['StandardError=truncate: in a missing directory', 222, ['--stderr-truncate', '/nonexistent/err', '--', '/bin/true', 'true'], 'STDERR spawning'],
  ])('%s → %i', (_what, status, args, message) => {
    const out = exec(args);
    expect(out.status).toBe(status);
    expect(out.stderr).toContain(`unitvisor-exec: Failed at step ${message}`);
  });

  test('a bad command line is exit status 2, not a service status', () => {
    expect(exec(['--bogus', 'x', '--', '/bin/true', 'true']).status).toBe(2);
    expect(exec(['--umask', '999', '--', '/bin/true', 'true']).status).toBe(2);
    expect(exec(['--', '/bin/true']).status).toBe(2);
  });
});

describe('exec steps', () => {
  test('ARGV0 is given positionally and arguments pass through untouched', () => {
    const out = exec(['--', '/bin/sh', 'my-argv0', '-c', 'cat /proc/$$/cmdline', 'x', 'a b']);
    expect(out.stdout.split('\0')).toEqual(['my-argv0', '-c', 'cat /proc/$$/cmdline', 'x', 'a b', '']);
  });

  test('a name without "/" is found in $PATH of the new environment, or in systemd\'s default path', () => {
    expect(exec(['--', 'echo', 'echo', 'found'], { PATH: '/bin:/usr/bin' }).stdout).toBe('found\n');
    expect(exec(['--', 'echo', 'echo', 'default'], {}).stdout).toBe('default\n');
    expect(exec(['--', 'echo', 'echo', 'x'], { PATH: '/nonexistent' }).status).toBe(203);
  });

  test('--chdir and --chdir-optional (WorkingDirectory=-DIR)', () => {
    const dir = tempDir();
    expect(exec(['--chdir', dir, '--', '/bin/pwd', 'pwd']).stdout).toBe(`${dir}\n`);
    const optional = exec(['--chdir-optional', '/nonexistent', '--', '/bin/echo', 'echo', 'ran']);
    expect(optional).toMatchObject({ status: 0, stdout: 'ran\n' });
  });

  test.each([['077', '0077'], ['022', '0022'], ['0', '0000']])('--umask %s', (mask, shown) => {
    expect(exec(['--umask', mask, '--', '/bin/sh', 'sh', '-c', 'umask']).stdout).toBe(`${shown}\n`);
  });

  test.each([
    [['--user', 'nobody'], '65534 65534 65534'],
    [['--user', '65534'], '65534 65534 65534'],
    [['--user', 'nobody', '--group', 'daemon'], '65534 1 1'],
    [['--user', 'nobody', '--supplementary-groups', 'daemon,disk'], '65534 65534 65534 1 6'],
    [['--group', 'daemon', '--supplementary-groups', 'disk'], '0 1 1 6'], // no User=: exactly the listed groups
  ])('credentials %j → uid, gid, groups', (args, ids) => {
    const out = exec([...args, '--', '/bin/sh', 'sh', '-c', 'echo $(id -u) $(id -g) $(id -G)']);
    expect(out).toMatchObject({ status: 0, stdout: `${ids}\n` });
  });

  test('User= runs with the user\'s own groups from /etc/group (initgroups), not the supervisor\'s', () => {
    expect(exec(['--user', 'nobody', '--', '/bin/cat', 'cat', '/proc/self/status']).stdout).toMatch(/^Groups:\s+65534\s*$/m);
  });

  test('stdin from a file and from /dev/null', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in'), 'from file\n');
    expect(exec(['--stdin-file', join(dir, 'in'), '--', '/bin/cat', 'cat']).stdout).toBe('from file\n');
    expect(exec(['--stdin-null', '--', '/bin/cat', 'cat'])).toMatchObject({ status: 0, stdout: '' });
  });

  test('file: overwrites from the start, append: appends, truncate: truncates; created with 0666 & ~UMask=', () => {
    const dir = tempDir();
    const file = join(dir, 'out');
    writeFileSync(file, '0123456789');
    exec(['--stdout-file', file, '--', '/usr/bin/printf', 'printf', 'ab']);
    expect(readFileSync(file, 'utf8')).toBe('ab23456789');
    exec(['--stdout-append', file, '--', '/usr/bin/printf', 'printf', 'cd']);
    expect(readFileSync(file, 'utf8')).toBe('ab23456789cd');
    exec(['--stderr-truncate', file, '--', '/bin/sh', 'sh', '-c', 'printf ef >&2']);
    expect(readFileSync(file, 'utf8')).toBe('ef');
    const created = join(dir, 'created');
    exec(['--umask', '027', '--stdout-file', created, '--', '/bin/true', 'true']);
    expect(spawnSync('stat', ['-c', '%a', created], { encoding: 'utf8' }).stdout).toBe('640\n');
  });

  test('--stderr-to-stdout and the null outputs', () => {
    const dir = tempDir();
    const file = join(dir, 'both');
    exec(['--stdout-truncate', file, '--stderr-to-stdout', '--', '/bin/sh', 'sh', '-c', 'echo out; echo err >&2']);
    expect(readFileSync(file, 'utf8')).toBe('out\nerr\n');
    expect(exec(['--stdout-null', '--stderr-null', '--', '/bin/sh', 'sh', '-c', 'echo out; echo err >&2'])).toMatchObject({ stdout: '', stderr: '' });
  });

  test('a failure after stderr was redirected still reaches the supervisor\'s stderr', () => {
    const file = join(tempDir(), 'err');
    const out = exec(['--stderr-truncate', file, '--', '/nonexistent/x', 'x']);
    expect(out.status).toBe(203);
    expect(out.stderr).toContain('Failed at step EXEC spawning /nonexistent/x');
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  test('signal dispositions and mask are reset: an inherited ignored SIGPIPE is default again', () => {
    // The shell ignores SIGPIPE before exec'ing the helper, as a Node parent passes its ignored SIGPIPE on.
    const inner = `grep -E "^Sig(Ign|Blk)" /proc/self/status; yes | head -n 1 >/dev/null; echo "yes: \${PIPESTATUS[0]}"`;
    const out = spawnSync('/bin/bash', ['-c', `trap '' PIPE; exec ${helper} -- /bin/bash bash -c '${inner}'`], { encoding: 'utf8', env: { PATH } });
    expect(out.stdout).toMatch(/^SigIgn:\s+0+$/m);
    expect(out.stdout).toMatch(/^SigBlk:\s+0+$/m);
    // `yes` dies of SIGPIPE (141 = 128 + 13) instead of getting EPIPE and failing with 1.
    expect(out.stdout).toContain('yes: 141\n');
  });

  test('every fd above 2 is closed before execve', () => {
    const out = spawnSync(helper, ['--', '/bin/sh', 'sh', '-c', 'ls /proc/$$/fd'], {
      env: { PATH }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'ignore', 'pipe'],
    });
    expect(out.stdout.trim().split(/\s+/)).toEqual(['0', '1', '2']);
  });
});

describe('Type=exec: the exec fd', () => {
  /** Spawns the helper with a pipe at fd 3; `report` resolves with what arrived on it before EOF. */
  function spawnWithExecFd(args: string[]) {
    const child = spawn(helper, ['--exec-fd', '3', ...args], { env: { PATH }, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    onTestFinished(() => { child.kill('SIGKILL'); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const chunks: Buffer[] = [];
    const report = new Promise<Buffer>((resolve) => {
      (child.stdio[3] as Readable).on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks)));
    });
    return { child, exited, report };
  }

  test('EOF without data as soon as execve() succeeds, while the program still runs', async () => {
    const { child, exited, report } = spawnWithExecFd(['--', '/bin/sleep', 'sleep', '30']);
    expect((await report).length).toBe(0);
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    await exited;
  });

  test.each([
    ['execve() failure', ['--', '/nonexistent/x', 'x'], 2, 203],
    ['a failing earlier step', ['--chdir', '/nonexistent', '--', '/bin/true', 'true'], 2, 200],
    ['a non-executable file', ['--', 'NOT_EXECUTABLE', 'n'], 13, 203],
  ])('%s: the errno as 4 bytes, then the exit status', async (_what, args, errno, status) => {
    const plain = join(tempDir(), 'plain');
    writeFileSync(plain, 'data\n', { mode: 0o644 });
    const { exited, report } = spawnWithExecFd(args.map((arg) => (arg === 'NOT_EXECUTABLE' ? plain : arg)));
    const data = await report;
    expect(data.length).toBe(4);
    expect(data.readInt32LE(0)).toBe(errno);
    expect(await exited).toBe(status);
  });
});
