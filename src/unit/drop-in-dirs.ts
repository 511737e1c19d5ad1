// Which drop-in directories a unit reads, and which files win (systemd.unit(5) "drop-in", unit_file_find_dropin_paths()).
import { dropInSearchNames, unitSuffix } from './unit-name.js';

/**
 * Directory names (without the search directory) for one unit name, most specific first:
 * "a-b-c.service" → a-b-c.service.d, a-b-.service.d, a-.service.d; an instance also reads
 * its template's directory right after its own ("x@i.service.d", "x@.service.d").
 * The type-wide "service.d" is not among them: it comes after every name (dropInSearchDirs).
 */
export function dropInDirNames(name: string, dirSuffix: string): string[] {
  const type = unitSuffix(name);
  return dropInSearchNames(name)
    .filter((n) => n !== type)
    .map((n) => n + dirSuffix);
}

/**
 * All directories to read, highest priority first: the unit's own names across the whole
 * search path, then each alias's, then the type-wide "service.d" last, the most generic.
 */
export function dropInSearchDirs(unitPath: readonly string[], names: readonly string[], type: string, dirSuffix: string): string[] {
  const dirs: string[] = [];
  for (const name of names) for (const dir of unitPath) for (const d of dropInDirNames(name, dirSuffix)) dirs.push(`${dir}/${d}`);
  for (const dir of unitPath) dirs.push(`${dir}/${type}${dirSuffix}`);
  return dirs.filter((d, i) => dirs.indexOf(d) === i);
}

/** A file found in one of the drop-in directories. */
export interface DropInCandidate {
  readonly dir: string;
  readonly fileName: string;
}

/**
 * conf_files_list_strv(): a file name seen in an earlier (higher-priority) directory
 * hides the same name in later ones; the survivors apply sorted by file name, not by directory.
 */
export function selectDropIns<T extends DropInCandidate>(candidates: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const c of candidates) if (!byName.has(c.fileName)) byName.set(c.fileName, c);
  return [...byName.values()].sort((a, b) => compareFileNames(a.fileName, b.fileName));
}

// Plain byte order, as strcmp() sorts them.
function compareFileNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
