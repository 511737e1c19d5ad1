// NeedDaemonReload= (unit_need_daemon_reload()): a loaded unit's fragment or drop-ins changed on disk since
// it was loaded. Like systemd 252, only the drop-in directories that existed at load are looked into again.
import { readdirSync, statSync } from 'node:fs';
import type { UnitConfig } from '../unit/model.js';
import { dropInSearchDirs } from '../unit/drop-in-dirs.js';
import { parseUnitName } from '../unit/unit-name.js';
import { BUILTIN_PATH_PREFIX } from '../unit/unit-directory.js';

export interface UnitFileStamps {
  /** Each file read at load with its mtime (ns); undefined where it could not be read. */
  readonly files: ReadonlyMap<string, bigint | undefined>;
  readonly dropInPaths: readonly string[];
  /** The unit's drop-in directories that existed at load. */
  readonly dropInDirs: readonly string[];
}

const mtimeOf = (path: string): bigint | undefined => {
  try {
    return statSync(path, { bigint: true }).mtimeNs;
  } catch {
    return undefined;
  }
};

const confsIn = (dirs: readonly string[]): string[] =>
  dirs.flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.conf')).map((f) => `${dir}/${f}`);
    } catch {
      return [];
    }
  });

/** What the unit was loaded from, as it is on disk now. */
export function stampUnitFiles(config: UnitConfig, unitPath: readonly string[]): UnitFileStamps {
  // A masked unit's fragment is /dev/null, whose times say nothing about the unit.
  const fragment = config.loadState !== 'masked' && config.fragmentPath !== undefined && !config.fragmentPath.startsWith(BUILTIN_PATH_PREFIX) ? [config.fragmentPath] : [];
  const files = new Map([...fragment, ...config.dropInPaths].map((p) => [p, mtimeOf(p)] as const));
  const type = parseUnitName(config.id)?.suffix;
  const dirs = config.loadState === 'not-found' || type === undefined ? [] : dropInSearchDirs(unitPath, [config.id, ...config.aliases], type, '.d');
  return { files, dropInPaths: config.dropInPaths, dropInDirs: dirs.filter((d) => mtimeOf(d) !== undefined) };
}

/** fragment_mtime_newer() for each file, and the drop-ins found now against those loaded. */
export function needsDaemonReload(stamps: UnitFileStamps): boolean {
  for (const [path, loaded] of stamps.files) {
    const now = mtimeOf(path);
    if (now === undefined || loaded === undefined || now > loaded) return true;
  }
  const loaded = new Set(stamps.dropInPaths);
  const present = confsIn(stamps.dropInDirs);
  // A file masked by a same-named one in a higher-priority directory was never loaded: compare names.
  const names = (paths: Iterable<string>) => new Set([...paths].map((p) => p.slice(p.lastIndexOf('/') + 1)));
  const nowNames = names(present);
  const loadedNames = names(loaded);
  return nowNames.size !== loadedNames.size || [...nowNames].some((n) => !loadedNames.has(n));
}
