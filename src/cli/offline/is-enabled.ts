// `is-enabled` without a daemon: the unit file state as `systemctl is-enabled` prints it, and its exit code (systemctl(1)).
import { ENABLED_STATES, unitFileState, type UnitFileState } from '../../unit/install.js';
import type { UnitFileSource } from '../../unit/unit-loader.js';
import { listConfigLinks } from './config-links.js';
import { discover, openOfflineSource } from './install-info.js';
import { offlinePaths, type OfflinePaths } from './paths.js';
import type { OfflineResult } from './result.js';

export interface IsEnabledArgs {
  readonly root?: string | undefined;
  readonly unitPath?: readonly string[] | undefined;
  readonly names: readonly string[];
}

/** One state line per unit; exit 0 if any is enabled (static, alias and indirect count). A unit without a file ends the run. */
export function runIsEnabled(args: IsEnabledArgs): OfflineResult {
  const paths = offlinePaths(args);
  const source = openOfflineSource(paths);
  const out: string[] = [];
  let anyEnabled = false;
  for (const name of args.names) {
    const state = lookupState(source, paths, name);
    if (state.kind === 'error') return { stdout: text(out), stderr: `${state.message}\n`, exitCode: 1 };
    out.push(state.state);
    if (ENABLED_STATES.has(state.state)) anyEnabled = true;
  }
  return { stdout: text(out), stderr: '', exitCode: anyEnabled ? 0 : 1 };
}

const text = (lines: readonly string[]): string => (lines.length === 0 ? '' : lines.join('\n') + '\n');

/** unit_file_lookup_state(): masks and aliases first, then links in the config directories, then [Install]. */
export function lookupState(
  source: UnitFileSource,
  paths: OfflinePaths,
  name: string,
): { readonly kind: 'state'; readonly state: UnitFileState } | { readonly kind: 'error'; readonly message: string } {
  const d = discover(source, name, paths.root);
  switch (d.kind) {
    case 'not-found':
      return { kind: 'error', message: `Failed to get unit file state for ${name}: No such file or directory` };
    case 'bad':
      return { kind: 'error', message: `Failed to get unit file state for ${name}: ${d.message}` };
    case 'masked': {
      const runtime = paths.configDirs.runtime !== undefined && d.rootedPath.startsWith(paths.configDirs.runtime + '/');
      return { kind: 'state', state: runtime ? 'masked-runtime' : 'masked' };
    }
    case 'found': {
      if (d.viaAlias) return { kind: 'state', state: 'alias' };
      const persistent = listConfigLinks(paths.configDirs.persistent, paths.root);
      const runtime = paths.configDirs.runtime === undefined ? [] : listConfigLinks(paths.configDirs.runtime, paths.root);
      return { kind: 'state', state: unitFileState(d.info, persistent, runtime, linkedState(paths, d.linkedFrom)) };
    }
  }
}

function linkedState(paths: OfflinePaths, linkedFrom: string | undefined): 'linked' | 'linked-runtime' | undefined {
  if (linkedFrom === undefined) return undefined;
  const inDir = (dir: string | undefined) => dir !== undefined && linkedFrom.startsWith(dir + '/');
  return inDir(paths.configDirs.persistent) ? 'linked' : inDir(paths.configDirs.runtime) ? 'linked-runtime' : undefined;
}
