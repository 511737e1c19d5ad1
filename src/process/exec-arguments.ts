// ExecContext → the exec helper's command line and Node's stdio (systemd.exec(5) "Paths", "Credentials", "Logging and Standard Input/Output").
import type { ExecCommand, ExecContext, StandardOutput } from '../unit/model.js';
import type { PlannedDirectory } from '../service/exec-directories.js';
import { processAttributeOptions, usesTtyPath } from './process-attribute-options.js';
import { sandboxOptions, type PrivateTmp } from './sandbox-options.js';
import { seccompOptions } from './seccomp-options.js';

/** A number is a file descriptor of the manager's (an accepted connection for StandardInput=socket). */
export type NodeStdio = 'ignore' | 'inherit' | 'pipe' | number;

export interface HelperInvocation {
  /** Arguments after the helper's own path: options, "--", PATH, ARGV0, ARGS... */
  readonly args: string[];
  /** Node's stdio for fds 0, 1, 2; the helper replaces those it opens itself (files). */
  readonly stdio: [NodeStdio, NodeStdio, NodeStdio];
}

export interface HelperInput {
  readonly command: ExecCommand;
  readonly argv: readonly string[];
  readonly exec: ExecContext;
  /** The home directory for WorkingDirectory=~ (undefined: unknown, the chdir fails with 200/CHDIR). */
  readonly home: string | undefined;
  /** Type=exec: the fd the helper reports execve() failures on. */
  readonly execFd: number | undefined;
  /** The unit's cgroup directory (cgroup mode). */
  readonly cgroup?: string | undefined;
  /** The service's environment: $SYSTEMD_EXEC_PID is added by the helper unless set (or unset) here. */
  readonly environment?: Readonly<Record<string, string>>;
  /** RuntimeDirectory= & co., created by the helper before it drops privileges. */
  readonly directories?: readonly PlannedDirectory[];
  /** Their owner: User=/Group= (also for "+" commands), else root. */
  readonly directoryOwner?: { readonly uid: number; readonly gid: number } | undefined;
  /** PrivateTmp=: the host folders bound on /tmp and /var/tmp for this activation. */
  readonly privateTmp?: PrivateTmp | undefined;
  /** StandardInput=/StandardOutput=socket: the connection's fd. */
  readonly socketFd?: number | undefined;
}

/** Builds `[options] -- PATH ARGV0 ARGS...` for unitvisor-exec, in the order systemd applies the steps. */
export function helperArguments(input: HelperInput): HelperInvocation {
  const { exec, command } = input;
  const args: string[] = input.cgroup === undefined ? [] : ['--cgroup', input.cgroup];
  const workingDirectory = exec.workingDirectory;
  if (workingDirectory !== undefined) {
    const dir = workingDirectory.path === '~' ? (input.home ?? '') : workingDirectory.path;
    args.push(workingDirectory.optional ? '--chdir-optional' : '--chdir', dir);
  }
  args.push('--umask', exec.umask.toString(8).padStart(4, '0'));
  // "+", "!" and "!!" run the command with the manager's credentials.
  const dropPrivileges = !command.fullPrivileges && command.privilegesMode === 'normal';
  if (dropPrivileges && exec.user !== undefined) args.push('--user', exec.user);
  if (dropPrivileges && exec.group !== undefined) args.push('--group', exec.group);
  if (dropPrivileges && exec.supplementaryGroups.length > 0) args.push('--supplementary-groups', exec.supplementaryGroups.join(','));
  const stdin = exec.standardInput;
  if (stdin.kind === 'file') args.push('--stdin-file', stdin.path);
  const stdout = exec.standardOutput;
  // StandardError= defaults to inherit, i.e. whatever standard output is.
  const stderrInherits = exec.standardError === undefined || exec.standardError.kind === 'inherit';
  const stderr = stderrInherits ? stdout : (exec.standardError ?? stdout);
  args.push(...fileOptions('stdout', stdout));
  // Inherited into a file, standard error shares standard output's open file (and offset), as systemd's dup does.
  if (stderrInherits && isFile(stdout)) args.push('--stderr-to-stdout');
  else args.push(...fileOptions('stderr', stderr));
  args.push(...directoryOptions(input));
  args.push(...processAttributeOptions(exec, !dropPrivileges));
  args.push(...sandboxOptions(exec, !dropPrivileges, (input.directories ?? []).map((d) => d.path), input.privateTmp));
  args.push(...seccompOptions(exec, command.fullPrivileges));
  if (input.execFd !== undefined) args.push('--exec-fd', String(input.execFd));
  // "-": systemd skips a missing executable ("Executable ... missing, skipping") and reports success.
  if (command.ignoreFailure) args.push('--missing-ok');
  // systemd 252 puts SYSTEMD_EXEC_PID before Environment= (which may override it) and UnsetEnvironment=.
  if (input.environment !== undefined && input.environment['SYSTEMD_EXEC_PID'] === undefined && !exec.unsetEnvironment.includes('SYSTEMD_EXEC_PID')) args.push('--set-exec-pid');
  const argv = input.argv.length > 0 ? input.argv : [command.path];
  args.push('--', command.path, ...argv);
  return { args, stdio: [stdinMode(exec, input.socketFd), outputMode(stdout, exec, input.socketFd), outputMode(stderr, exec, input.socketFd)] };
}

function directoryOptions(input: HelperInput): string[] {
  const dirs = input.directories ?? [];
  if (dirs.length === 0) return [];
  const owner = input.directoryOwner;
  const args = owner ? ['--directory-owner', `${owner.uid}:${owner.gid}`] : [];
  for (const d of dirs) {
    args.push('--directory', `${d.type}:${d.mode.toString(8).padStart(4, '0')}:${d.path}`);
    for (const link of d.symlinks) args.push('--directory-symlink', link);
  }
  return args;
}

const isFile = (output: StandardOutput): boolean => output.kind === 'file' || output.kind === 'append' || output.kind === 'truncate';

function fileOptions(stream: 'stdout' | 'stderr', output: StandardOutput): string[] {
  switch (output.kind) {
    case 'file':
      return [`--${stream}-file`, output.path];
    case 'append':
      return [`--${stream}-append`, output.path];
    case 'truncate':
      return [`--${stream}-truncate`, output.path];
    default:
      return [];
  }
}

function stdinMode(exec: ExecContext, socketFd: number | undefined): NodeStdio {
  switch (exec.standardInput.kind) {
    case 'tty':
      return usesTtyPath(exec) ? 'ignore' : 'inherit';
    case 'socket':
      return socketFd ?? 'ignore';
    case 'null':
    case 'file':
    case 'data':
      return 'ignore';
  }
}

function outputMode(output: StandardOutput, exec: ExecContext, socketFd: number | undefined): NodeStdio {
  switch (output.kind) {
    case 'socket':
      return socketFd ?? 'ignore';
    case 'journal':
    case 'kmsg':
      return 'pipe';
    case 'tty':
      return usesTtyPath(exec) ? 'ignore' : 'inherit';
    // "inherit" on standard output duplicates standard input: the terminal for StandardInput=tty, else /dev/null.
    case 'inherit':
      return exec.standardInput.kind === 'tty' || exec.standardInput.kind === 'socket' ? stdinMode(exec, socketFd) : 'ignore';
    case 'null':
    case 'file':
    case 'append':
    case 'truncate':
      return 'ignore';
  }
}
