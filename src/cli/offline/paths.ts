// Where offline verbs look for unit files and where enable writes (systemctl(1) --root, systemd.unit(5) load path).
import { DEFAULT_UNIT_PATH, PERSISTENT_CONFIG_DIR, RUNTIME_CONFIG_DIR, resolveUnitPath } from '../../unit/search-path.js';

export interface OfflinePaths {
  /** The search path as the files are reached (inside the root). */
  readonly unitPath: readonly string[];
  /** Directories whose links make a unit enabled, persistent first (inside the root). */
  readonly configDirs: { readonly persistent: string; readonly runtime: string | undefined };
  /** The root prefix ("" for the real root). */
  readonly root: string;
}

/**
 * With --root, systemctl's default search path under that root and /etc/systemd/system in it;
 * with --unit-path (or UNITVISOR_UNIT_PATH), those directories, enabling into the first one.
 */
export function offlinePaths(args: { readonly root?: string | undefined; readonly unitPath?: readonly string[] | undefined }): OfflinePaths {
  const root = args.root === undefined || args.root === '/' ? '' : args.root.replace(/\/+$/, '');
  const custom = args.unitPath !== undefined && args.unitPath.length > 0;
  const dirs = custom ? resolveUnitPath({ unitPath: args.unitPath }) : root !== '' ? [...DEFAULT_UNIT_PATH] : resolveUnitPath({ env: process.env });
  const usesDefault = dirs.length === DEFAULT_UNIT_PATH.length && dirs.every((d, i) => d === DEFAULT_UNIT_PATH[i]);
  const inRoot = (d: string): string => (root === '' || d.startsWith(root + '/') ? d : root + d);
  return {
    unitPath: dirs.map(inRoot),
    configDirs: usesDefault
      ? { persistent: inRoot(PERSISTENT_CONFIG_DIR), runtime: inRoot(RUNTIME_CONFIG_DIR) }
      : { persistent: inRoot(dirs[0] ?? PERSISTENT_CONFIG_DIR), runtime: undefined },
    root,
  };
}

/** A path inside the root as the running system will see it (symlink targets are written this way). */
export function withoutRoot(p: string, root: string): string {
  return root !== '' && p.startsWith(root + '/') ? p.slice(root.length) : p;
}
