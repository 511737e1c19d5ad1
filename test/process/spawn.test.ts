// spawn.ts: real commands through the exec helper; exit statuses, environment, credentials, stdio and Type=exec as under systemd.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { ExecCommand, ExecContext } from '../../src/unit/model.js';
import { readProcStat } from '../../src/process/process-tree.js';
import { recordNodeSpawns, spawnExec, spawnedPids, type SpawnParams, type SpawnedProcess } from '../../src/process/spawn.js';
import { startReaper } from '../../src/process/reaper.js';
import { loadNative, type WaitStatus } from '../../src/process/native.js';
import { blockLines } from '../../src/protocol/output-block.js';

/** One line a process printed, on its stream. */
interface OutputLine {
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}
import { expectNoLeakedProcesses, ownerEnvironment } from '../helpers/processes.js';
import { bin } from '../helpers/use-tmp-units.js';
import { defaultExecContext } from '../../src/unit/settings/defaults.js';
import { tempDir } from '../helpers/temp-files.js';

afterEach(expectNoLeakedProcesses);

const baseExec: ExecContext = defaultExecContext();

const command = (argv: string[], flags: Partial<ExecCommand> = {}): ExecCommand => ({
  path: argv[0] ?? '',
  argv,
  ignoreFailure: false,
  noEnvExpand: false,
  fullPrivileges: false,
  privilegesMode: 'normal',
  file: 'test.service',
  line: 1,
  ...flags,
});

interface Run {
  readonly child: SpawnedProcess;
  readonly lines: OutputLine[];
  readonly diagnostics: string[];
}

function start(argv: string[], options: Partial<Omit<SpawnParams, 'command'>> & { flags?: Partial<ExecCommand> } = {}): Run {
  const lines: OutputLine[] = [];
  const diagnostics: string[] = [];
  const spawned = spawnExec({
    command: command(argv, options.flags),
    argv,
    environment: options.environment ?? { PATH: '/usr/bin:/bin', ...ownerEnvironment() },
    exec: options.exec ?? baseExec,
    credentials: options.credentials,
    confirmExec: options.confirmExec,
    helperPath: options.helperPath,
    onOutput: (stream, block) => lines.push(...blockLines(block.text).map((line) => ({ stream, line }))),
    onDiagnostic: (message) => diagnostics.push(message),
  });
  if (!spawned.ok) throw new Error(spawned.error.message);
  return { child: spawned.value, lines, diagnostics };
}

async function run(argv: string[], options: Parameters<typeof start>[1] = {}) {
  const { child, lines, diagnostics } = start(argv, options);
  const status = await child.exited;
  await child.outputDone;
  return { status, lines, diagnostics, stdout: lines.filter((l) => l.stream === 'stdout').map((l) => l.line), stderr: lines.filter((l) => l.stream === 'stderr').map((l) => l.line) };
}

const node = (script: string, ...args: string[]) => [process.execPath, bin(script), ...args];

const notExecutable = join(tempDir('unitvisor-noexec-'), 'data');
writeFileSync(notExecutable, 'not a program\n', { mode: 0o644 });

describe('exit statuses', () => {
  test.each([
    { what: '0', code: 'exited', status: 0 },
    { what: '1', code: 'exited', status: 1 },
    { what: '3', code: 'exited', status: 3 },
    { what: '255', code: 'exited', status: 255 },
    { what: 'SIGTERM', code: 'killed', status: 15 },
    { what: 'SIGKILL', code: 'killed', status: 9 },
    { what: 'SIGHUP', code: 'killed', status: 1 },
  ])('exit-with $what → code=$code, status=$status', async ({ what, code, status }) => {
    const result = await run(node('exit-with', what));
    expect(result.status).toMatchObject({ code, status });
  });

  test.each([
    { name: 'a missing executable', argv: ['/nonexistent/program'], exec: baseExec, status: 203, step: 'EXEC', error: 'No such file or directory' },
    { name: 'a non-executable file', argv: [notExecutable], exec: baseExec, status: 203, step: 'EXEC', error: 'Permission denied' },
    { name: 'a missing WorkingDirectory=', argv: ['/bin/true'], exec: { ...baseExec, workingDirectory: { path: '/nonexistent', optional: false } }, status: 200, step: 'CHDIR', error: 'No such file or directory' },
    { name: 'an unknown User=', argv: ['/bin/true'], exec: { ...baseExec, user: 'no-such-user-xyz' }, status: 217, step: 'USER', error: 'No such process' },
    { name: 'an unknown Group=', argv: ['/bin/true'], exec: { ...baseExec, group: 'no-such-group-xyz' }, status: 216, step: 'GROUP', error: 'No such process' },
    { name: 'a missing StandardInput=file:', argv: ['/bin/true'], exec: { ...baseExec, standardInput: { kind: 'file', path: '/nonexistent' } } as ExecContext, status: 208, step: 'STDIN', error: /^(No such file or directory|Bad file descriptor)$/ },
  ])('$name exits $status/$step with systemd\'s message', async ({ argv, exec, status, step, error }) => {
    const result = await run(argv, { exec });
    expect(result.status).toEqual({ pid: expect.any(Number), code: 'exited', status });
    // systemd's two lines: why (e.g. "Failed to locate executable ..."), then the step.
    const prefix = `Failed at step ${step} spawning ${argv[0]}: `;
    expect(result.diagnostics).toHaveLength(2);
    expect(result.diagnostics[1]?.slice(0, prefix.length)).toBe(prefix);
    expect(result.diagnostics[1]?.slice(prefix.length)).toMatch(typeof error === 'string' ? new RegExp(`^${error}$`) : error);
    expect(result.stderr).toEqual([]);
  });
});

describe('the process', () => {
  test('gets exactly the given environment and argv (argv[0] included)', async () => {
    const environment = { PATH: '/usr/bin:/bin', A: '1', B: 'two words', ...ownerEnvironment() };
    const env = await run(['/usr/bin/env'], { environment });
    // Plus SYSTEMD_EXEC_PID, which systemd 252 sets to the pid of the process it executes.
    expect(env.stdout.sort()).toEqual([...Object.entries(environment).map(([k, v]) => `${k}=${v}`), `SYSTEMD_EXEC_PID=${env.status.pid}`].sort());
    const argv = await run(['/bin/sh', '-c', 'echo "$0|$1|$2"', 'zero', 'one', 'two words']);
    expect(argv.stdout).toEqual(['zero|one|two words']);
  });

  test('a bare command name is looked up in $PATH of its environment', async () => {
    const result = await run(['echo', 'hi']);
    expect(result.stdout).toEqual(['hi']);
  });

  test('runs in its own session and process group, from /', async () => {
    const { child } = start(node('ignore-sigterm'));
    const stat = readProcStat(child.pid);
    expect(stat?.session).toBe(child.pid);
    expect(stat?.pgrp).toBe(child.pid);
    process.kill(child.pid, 'SIGKILL');
    expect(await child.exited).toMatchObject({ code: 'killed', status: 9 });
    const pwd = await run(['/bin/pwd']);
    expect(pwd.stdout).toEqual(['/']);
  });

  test('its exit is seen while a descendant still holds its stdout open', async () => {
    const { child, lines } = start(['/bin/sh', '-c', 'echo started; /bin/sleep 60 & exit 7']);
    expect(await child.exited).toMatchObject({ code: 'exited', status: 7 });
    let outputEnded = false;
    void child.outputDone.then(() => (outputEnded = true));
    await expect.poll(() => lines.map((l) => l.line)).toEqual(['started']);
    expect(outputEnded).toBe(false);
    // The background sleep stayed in the service's process group.
    process.kill(-child.pid, 'SIGKILL');
    await child.outputDone;
  });

  test('is registered in spawnedPids before spawnExec returns, and unregistered once reaped (while spawns are recorded, as under a running supervisor)', async () => {
    const undo = recordNodeSpawns([]);
    try {
      const { child } = start(['/bin/true']);
      expect(spawnedPids.has(child.pid)).toBe(true);
      await child.exited;
      expect(spawnedPids.has(child.pid)).toBe(false);
    } finally {
      undo();
    }
  });

  test('while a reaper of adopted processes runs, each exit status still reaches its own spawn, and the output pipes are named', async () => {
    const adopted: WaitStatus[] = [];
    const reaper = startReaper((status) => adopted.push(status), { native: loadNative() });
    try {
      const children = [3, 4, 5].map((status) => start(['/bin/sh', '-c', `echo ${status}; exit ${status}`]).child);
      // The reaper sees the zombies first: the loop is held until all three exited, then the reaper runs.
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (const deadline = Date.now() + 30_000; children.some((child) => readProcStat(child.pid)?.state !== 'Z') && Date.now() < deadline; ) Atomics.wait(pause, 0, 0, 1);
      reaper.reapNow();
      const statuses = await Promise.all(children.map((child) => child.exited));
      expect(statuses.map((status) => [status.code, status.status])).toEqual([['exited', 3], ['exited', 4], ['exited', 5]]);
      expect(adopted.filter((status) => children.some((child) => child.pid === status.pid))).toEqual([]);
      for (const child of children) expect(child.outputNames).toEqual([expect.stringMatching(/^pipe:\[\d+\]$/), expect.stringMatching(/^pipe:\[\d+\]$/)]);
    } finally {
      reaper.stop();
    }
  });

  test('signal dispositions are reset (Node ignores SIGPIPE), SIGPIPE ignored again only as IgnoreSIGPIPE= says; only fds 0-2 are passed', async () => {
    const script = ['/bin/sh', '-c', 'grep -E "^Sig(Ign|Blk)" /proc/self/status; ls /proc/self/fd'];
    const status = await run(script, { exec: { ...baseExec, ignoreSIGPIPE: false } });
    expect(status.stdout).toEqual(['SigBlk:\t0000000000000000', 'SigIgn:\t0000000000000000', '0', '1', '2', '3']);
    const ignoring = await run(script, { exec: { ...baseExec, ignoreSIGPIPE: true } });
    expect(ignoring.stdout.slice(0, 2)).toEqual(['SigBlk:\t0000000000000000', 'SigIgn:\t0000000000001000']);
  });

  test('UMask= and WorkingDirectory= (also "-" for a missing one)', async () => {
    const dir = tempDir('unitvisor-wd-');
    const result = await run(['/bin/sh', '-c', 'umask; pwd'], { exec: { ...baseExec, umask: 0o027, workingDirectory: { path: dir, optional: false } } });
    expect(result.stdout).toEqual(['0027', dir]);
    const optional = await run(['/bin/pwd'], { exec: { ...baseExec, workingDirectory: { path: '/nonexistent', optional: true } } });
    expect(optional.status).toMatchObject({ code: 'exited', status: 0 });
  });

  test('WorkingDirectory=~ is the home of User=', async () => {
    const result = await run(['/bin/pwd'], {
      exec: { ...baseExec, user: 'root', workingDirectory: { path: '~', optional: false } },
      credentials: { user: 'root', uid: 0, gid: 0, supplementaryGids: [], home: '/root', shell: '/bin/sh' },
    });
    expect(result.stdout).toEqual(['/root']);
  });

  test('User=, Group= and SupplementaryGroups= are applied; "+" runs with full privileges', async () => {
    const exec = { ...baseExec, user: 'nobody', group: 'nogroup', supplementaryGroups: ['adm'] };
    const ids = await run(['/bin/sh', '-c', 'id -u; id -g; id -G'], { exec });
    expect(ids.status).toMatchObject({ code: 'exited', status: 0 });
    expect(ids.stdout).toEqual(['65534', '65534', '65534 4']);
    const full = await run(['/usr/bin/id', '-u'], { exec, flags: { fullPrivileges: true } });
    expect(full.stdout).toEqual([String(process.getuid?.())]);
  });
});

describe('standard input and output', () => {
  test('journal: stdout and stderr arrive as tagged lines', async () => {
    const result = await run(['/bin/sh', '-c', 'echo out; echo err >&2; printf "no newline"']);
    expect(result.lines).toEqual(
      expect.arrayContaining([
        { stream: 'stdout', line: 'out' },
        { stream: 'stderr', line: 'err' },
        { stream: 'stdout', line: 'no newline' },
      ]),
    );
  });

  test('file:, append: and truncate:, with StandardError= inheriting the same open file', async () => {
    const dir = tempDir('unitvisor-out-');
    const path = join(dir, 'log');
    writeFileSync(path, 'OLD CONTENT THAT IS LONG\n');
    const script = ['/bin/sh', '-c', 'echo one; echo two >&2'];
    await run(script, { exec: { ...baseExec, standardOutput: { kind: 'file', path } } });
    // file: writes from the start without truncating, like systemd's O_WRONLY|O_CREAT.
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\nENT THAT IS LONG\n');
    await run(script, { exec: { ...baseExec, standardOutput: { kind: 'append', path } } });
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\nENT THAT IS LONG\none\ntwo\n');
    await run(script, { exec: { ...baseExec, standardOutput: { kind: 'truncate', path } } });
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
  });

  test('StandardInput=file: and StandardOutput=null', async () => {
    const path = join(tempDir('unitvisor-in-'), 'input');
    writeFileSync(path, 'from the file\n');
    const result = await run(['/bin/cat'], { exec: { ...baseExec, standardInput: { kind: 'file', path } } });
    expect(result.stdout).toEqual(['from the file']);
    const silent = await run(['/bin/echo', 'nothing'], { exec: { ...baseExec, standardOutput: { kind: 'null' } } });
    expect(silent.lines).toEqual([]);
  });
});

describe('Type=exec confirmation', () => {
  test('a successful execve() is confirmed while the process runs', async () => {
    const { child } = start(node('ignore-sigterm'), { confirmExec: true });
    expect(await child.execConfirmed).toEqual({ ok: true });
    process.kill(child.pid, 'SIGKILL');
    await child.exited;
  });

  test('a failed execve() reports its errno', async () => {
    const { child } = start(['/nonexistent/program'], { confirmExec: true });
    expect(await child.execConfirmed).toEqual({ ok: false, errno: 2 });
    expect(await child.exited).toMatchObject({ code: 'exited', status: 203 });
  });

  test('a failure before execve() (200/CHDIR) is not a confirmation', async () => {
    const { child } = start(['/bin/true'], { confirmExec: true, exec: { ...baseExec, workingDirectory: { path: '/nonexistent', optional: false } } });
    expect(await child.execConfirmed).toMatchObject({ ok: false });
    expect(await child.exited).toMatchObject({ status: 200 });
  });

  test('a program that exits at once after a successful execve() is confirmed', async () => {
    const { child } = start(['/bin/true'], { confirmExec: true });
    expect(await child.execConfirmed).toEqual({ ok: true });
    expect(await child.exited).toMatchObject({ code: 'exited', status: 0 });
  });

  test('without confirmExec there is no confirmation', () => {
    const { child } = start(['/bin/true']);
    expect(child.execConfirmed).toBeUndefined();
    return child.exited;
  });
});

describe('failures in the supervisor', () => {
  test('a helper that cannot be spawned is an error value, not an exception', () => {
    const spawned = spawnExec({ command: command(['/bin/true']), argv: ['/bin/true'], environment: {}, exec: baseExec, helperPath: '/nonexistent/unitvisor-exec' });
    expect(spawned.ok).toBe(false);
    expect(!spawned.ok && spawned.error.code).toBe('ESPAWN');
  });
});
