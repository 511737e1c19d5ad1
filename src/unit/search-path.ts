// The unit search path and its precedence (systemd.unit(5) "Unit File Load Path", system mode).

/** systemd's system-mode load path as unitvisor uses it, highest priority first. */
export const DEFAULT_UNIT_PATH: readonly string[] = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
];

/** The directories `enable`/`disable` write to: persistent first, then runtime (systemd's "config" paths). */
export const PERSISTENT_CONFIG_DIR = '/etc/systemd/system';
export const RUNTIME_CONFIG_DIR = '/run/systemd/system';

export const UNIT_PATH_ENV = 'UNITVISOR_UNIT_PATH';

export interface UnitPathOptions {
  /** `--unit-path DIR` (repeatable), in the order given. */
  readonly unitPath?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The directories to search, highest priority first. `--unit-path` wins over
 * UNITVISOR_UNIT_PATH, which wins over the default. As with $SYSTEMD_UNIT_PATH, an
 * empty component in the variable (e.g. a trailing ":") splices in the default path.
 * Built-in targets are not a directory: the loader consults them after these.
 */
export function resolveUnitPath(opts: UnitPathOptions): string[] {
  if (opts.unitPath !== undefined && opts.unitPath.length > 0) return dedupe(opts.unitPath.map(stripTrailingSlash));
  const fromEnv = opts.env?.[UNIT_PATH_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const dirs = fromEnv.split(':').flatMap((part) => (part === '' ? DEFAULT_UNIT_PATH : [stripTrailingSlash(part)]));
    return dedupe(dirs);
  }
  return [...DEFAULT_UNIT_PATH];
}

/** Where a path lies in the search path: the index of its directory, or -1 when outside it. */
export function searchPathIndex(unitPath: readonly string[], filePath: string): number {
  const slash = filePath.lastIndexOf('/');
  const dir = slash <= 0 ? '/' : filePath.slice(0, slash);
  return unitPath.indexOf(dir);
}

function stripTrailingSlash(dir: string): string {
  return dir.length > 1 && dir.endsWith('/') ? dir.replace(/\/+$/, '') : dir;
}

// A directory named twice would only repeat its files at a lower priority.
function dedupe(dirs: readonly string[]): string[] {
  return dirs.filter((d, i) => dirs.indexOf(d) === i);
}
