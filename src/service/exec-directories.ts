// Where a service's RuntimeDirectory= & co. live, their environment variables, and when runtime ones go
// (systemd.exec(5) "Automatic directory creation and environment variables", RuntimeDirectoryPreserve=).
import type { ExecContext, ExecDirectoryType } from '../unit/model.js';
import { EXEC_DIRECTORY_TYPES } from '../unit/model.js';

/** The folder each type lives below: /run, /var/lib, /var/cache, /var/log, /etc for the system manager. */
export type DirectoryRoots = Readonly<Record<ExecDirectoryType, string>>;

export const SYSTEM_DIRECTORY_ROOTS: DirectoryRoots = { runtime: '/run', state: '/var/lib', cache: '/var/cache', logs: '/var/log', configuration: '/etc' };

/** The user manager's roots, as systemd 252's table says ($XDG_CONFIG_HOME for state and configuration). */
export function userDirectoryRoots(env: Readonly<Record<string, string | undefined>>, home: string, uid: number): DirectoryRoots {
  const config = env['XDG_CONFIG_HOME'] ?? `${home}/.config`;
  return {
    runtime: env['XDG_RUNTIME_DIR'] ?? `/run/user/${uid}`,
    state: config,
    cache: env['XDG_CACHE_HOME'] ?? `${home}/.cache`,
    logs: `${config}/log`,
    configuration: config,
  };
}

export interface PlannedDirectory {
  readonly type: ExecDirectoryType;
  readonly path: string;
  readonly mode: number;
  readonly symlinks: readonly string[];
}

const ENVIRONMENT_NAME: Readonly<Record<ExecDirectoryType, string>> = {
  runtime: 'RUNTIME_DIRECTORY',
  state: 'STATE_DIRECTORY',
  cache: 'CACHE_DIRECTORY',
  logs: 'LOGS_DIRECTORY',
  configuration: 'CONFIGURATION_DIRECTORY',
};

const below = (root: string, path: string): string => `${root.replace(/\/+$/, '')}/${path}`;

/** Every directory to create, in systemd's order (runtime, state, cache, logs, configuration). */
export function planExecDirectories(exec: ExecContext, roots: DirectoryRoots): PlannedDirectory[] {
  return EXEC_DIRECTORY_TYPES.flatMap((type) => {
    const { entries, mode } = exec.directories[type];
    return entries.map((e) => ({ type, path: below(roots[type], e.path), mode, symlinks: e.symlinks.map((s) => below(roots[type], s)) }));
  });
}

/** $RUNTIME_DIRECTORY & co.: the full paths, joined with ":". */
export function directoryEnvironment(exec: ExecContext, roots: DirectoryRoots): Record<string, string> {
  const env: Record<string, string> = {};
  for (const type of EXEC_DIRECTORY_TYPES) {
    const { entries } = exec.directories[type];
    if (entries.length > 0) env[ENVIRONMENT_NAME[type]] = entries.map((e) => below(roots[type], e.path)).join(':');
  }
  return env;
}

/**
 * The runtime directories to remove as the service goes dead, failed or auto-restart
 * (unit_destroy_runtime_data()): none with RuntimeDirectoryPreserve=yes, none across a restart with =restart.
 */
export function runtimeDirectoriesToRemove(exec: ExecContext, roots: DirectoryRoots, willRestart: boolean): string[] {
  const preserve = exec.runtimeDirectoryPreserve;
  if (preserve === 'yes' || (preserve === 'restart' && willRestart)) return [];
  // The innermost directories and their symlinks; parents ("foo" of "foo/bar") stay.
  return exec.directories.runtime.entries.flatMap((e) => [below(roots.runtime, e.path), ...e.symlinks.map((s) => below(roots.runtime, s))]);
}
