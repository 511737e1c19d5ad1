// exec-arguments.ts: ExecContext → unitvisor-exec options and Node stdio (a table over systemd.exec(5) settings).
import { describe, expect, test } from 'vitest';
import { helperArguments } from '../../src/process/exec-arguments.js';
import type { ExecCommand, ExecContext } from '../../src/unit/model.js';
import { defaultExecContext } from '../../src/unit/settings/defaults.js';

// The process attributes systemd sets by default are left out here; their own rows are below.
const exec: ExecContext = { ...defaultExecContext(), limits: {}, keyringMode: 'inherit', ignoreSIGPIPE: false };
const command: ExecCommand = {
  path: '/bin/x',
  argv: ['x', 'a'],
  ignoreFailure: false,
  noEnvExpand: false,
  fullPrivileges: false,
  privilegesMode: 'normal',
  file: 'x.service',
  line: 3,
};
const tail = ['--', '/bin/x', 'x', 'a'];

describe('helperArguments', () => {
  test.each([
    { name: 'defaults', context: {}, args: ['--umask', '0022'], stdio: ['ignore', 'pipe', 'pipe'] },
    { name: 'UMask=0077', context: { umask: 0o077 }, args: ['--umask', '0077'], stdio: ['ignore', 'pipe', 'pipe'] },
    { name: 'WorkingDirectory=/srv', context: { workingDirectory: { path: '/srv', optional: false } }, args: ['--chdir', '/srv', '--umask', '0022'], stdio: ['ignore', 'pipe', 'pipe'] },
    { name: 'WorkingDirectory=-/srv', context: { workingDirectory: { path: '/srv', optional: true } }, args: ['--chdir-optional', '/srv', '--umask', '0022'], stdio: ['ignore', 'pipe', 'pipe'] },
    { name: 'WorkingDirectory=~', context: { workingDirectory: { path: '~', optional: false } }, home: '/home/u', args: ['--chdir', '/home/u', '--umask', '0022'], stdio: ['ignore', 'pipe', 'pipe'] },
    {
      name: 'User=, Group=, SupplementaryGroups=',
      context: { user: 'u', group: 'g', supplementaryGroups: ['a', 'b'] },
      args: ['--umask', '0022', '--user', 'u', '--group', 'g', '--supplementary-groups', 'a,b'],
      stdio: ['ignore', 'pipe', 'pipe'],
    },
    { name: 'StandardInput=file:', context: { standardInput: { kind: 'file', path: '/in' } }, args: ['--umask', '0022', '--stdin-file', '/in'], stdio: ['ignore', 'pipe', 'pipe'] },
    { name: 'StandardInput=tty', context: { standardInput: { kind: 'tty' }, standardOutput: { kind: 'inherit' } }, args: ['--umask', '0022'], stdio: ['inherit', 'inherit', 'inherit'] },
    { name: 'StandardOutput=inherit (of /dev/null)', context: { standardOutput: { kind: 'inherit' } }, args: ['--umask', '0022'], stdio: ['ignore', 'ignore', 'ignore'] },
    { name: 'StandardOutput=null', context: { standardOutput: { kind: 'null' } }, args: ['--umask', '0022'], stdio: ['ignore', 'ignore', 'ignore'] },
    {
      name: 'StandardOutput=file: with StandardError= inherited',
      context: { standardOutput: { kind: 'file', path: '/log' } },
      args: ['--umask', '0022', '--stdout-file', '/log', '--stderr-to-stdout'],
      stdio: ['ignore', 'ignore', 'ignore'],
    },
    {
      name: 'StandardOutput=append:, StandardError=truncate:',
      context: { standardOutput: { kind: 'append', path: '/o' }, standardError: { kind: 'truncate', path: '/e' } },
      args: ['--umask', '0022', '--stdout-append', '/o', '--stderr-truncate', '/e'],
      stdio: ['ignore', 'ignore', 'ignore'],
    },
    {
      name: "systemd's defaults: LimitNOFILE=1024:524288, KeyringMode=private, IgnoreSIGPIPE=yes",
      context: defaultExecContext(),
      args: ['--umask', '0022', '--ignore-sigpipe', '--rlimit', 'NOFILE:1024:524288', '--keyring-mode', 'private'],
      stdio: ['ignore', 'pipe', 'pipe'],
    },
    {
      name: 'Nice=, OOMScoreAdjust=, IOScheduling*=, CPUScheduling*=, Limit*=, capabilities, NoNewPrivileges=',
      context: {
        nice: -2, oomScoreAdjust: 100, ioScheduling: { class: 'idle', priority: 4 }, cpuScheduling: { policy: 'rr', priority: 9, resetOnFork: true },
        limits: { CPU: { soft: 5, hard: 'infinity' } }, capabilityBoundingSet: 0x401n, ambientCapabilities: 0x400n, secureBits: 16, noNewPrivileges: true,
      },
      args: ['--umask', '0022', '--oom-score-adjust', '100', '--nice', '-2', '--cpu-sched', '2:9:1', '--ioprio', '3:0', '--rlimit', 'CPU:5:infinity', '--bounding-set', '401', '--ambient-caps', '400', '--secure-bits', '16', '--no-new-privileges'],
      stdio: ['ignore', 'pipe', 'pipe'],
    },
    {
      name: 'TTYPath= takes StandardInput=tty and the streams that inherit it',
      context: { ttyPath: '/dev/tty9', ttyReset: true, standardInput: { kind: 'tty' }, standardOutput: { kind: 'inherit' } },
      args: ['--umask', '0022', '--tty-path', '/dev/tty9', '--stdin-tty', '--tty-reset'],
      stdio: ['ignore', 'ignore', 'ignore'],
    },
    { name: 'StandardError=null, output to journal', context: { standardError: { kind: 'null' } }, args: ['--umask', '0022'], stdio: ['ignore', 'pipe', 'ignore'] },
  ] as { name: string; context: Partial<ExecContext>; home?: string; args: string[]; stdio: string[] }[])('$name', ({ context, home, args, stdio }) => {
    const invocation = helperArguments({ command, argv: command.argv, exec: { ...exec, ...context }, home, execFd: undefined });
    expect(invocation.args).toEqual([...args, ...tail]);
    expect(invocation.stdio).toEqual(stdio);
  });

  test.each([
    { name: '"+"', flags: { fullPrivileges: true } },
    { name: '"!"', flags: { privilegesMode: 'ambient' } },
    { name: '"!!"', flags: { privilegesMode: 'ambient-fallback' } },
  ] as { name: string; flags: Partial<ExecCommand> }[])('$name keeps the manager credentials', ({ flags }) => {
    const invocation = helperArguments({ command: { ...command, ...flags }, argv: command.argv, exec: { ...exec, user: 'u', group: 'g' }, home: undefined, execFd: undefined });
    expect(invocation.args).toEqual(['--umask', '0022', ...tail]);
  });

  test('Type=exec passes the exec fd', () => {
    expect(helperArguments({ command, argv: command.argv, exec, home: undefined, execFd: 3 }).args).toEqual(['--umask', '0022', '--exec-fd', '3', ...tail]);
  });
});
