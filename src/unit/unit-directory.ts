// The unit search path on disk: unit files, masks, alias symlinks, drop-ins and .wants/ dirs (systemd.unit(5)); the one file in unit/ that reads the file system.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_ALIASES, BUILTIN_UNITS } from './builtin-targets.js';
import { warning, type Diagnostic } from './diagnostic.js';
import { dropInSearchDirs, selectDropIns } from './drop-in-dirs.js';
import type { UnitSourceFile } from './load-fragment.js';
import type { UnitConfig } from './model.js';
import { aliasesOf, buildUnitFileMap, resolveUnitName, type UnitFileEntry } from './unit-file-map.js';
import { loadUnit, loadUnitSet, type DependencyEntry, type HostSpecifiers, type UnitFileSource, type UnitSet } from './unit-loader.js';
import { parseUnitName } from './unit-name.js';

export type { HostSpecifiers, UnitSet } from './unit-loader.js';

export interface LoadOptions {
  readonly unitPath: readonly string[];
  /** Host facts for specifiers (a full SpecifierContext also fits; its unitName is replaced per unit). */
  readonly specifiers: HostSpecifiers;
  /** Include unitvisor's built-in standard targets after the directories (default true). */
  readonly builtins?: boolean;
  /** `--root DIR`: the search path lies under DIR, and absolute symlink targets are read inside it. */
  readonly root?: string;
}

/**
 * Unit files larger than this are refused without being read. systemd reads unit files line
 * by line with a 1 MiB line limit (LONG_LINE_MAX); no real unit file comes near 4 MiB.
 */
export const UNIT_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** Where built-in units claim to come from (FragmentPath=). */
export const BUILTIN_PATH_PREFIX = 'builtin:';

/** Loads every unit in the search path and every unit they name, transitively. */
export function loadUnitDirectory(opts: LoadOptions): UnitSet {
  const { source, diagnostics } = openSource(opts);
  return loadUnitSet(source, opts.specifiers, diagnostics);
}

/** Loads one unit on demand (e.g. an instance nothing referenced). */
export function loadUnitByName(name: string, opts: LoadOptions): { config: UnitConfig; diagnostics: Diagnostic[] } {
  const { source, diagnostics } = openSource(opts);
  const loaded = loadUnit(source, name, opts.specifiers);
  return { config: loaded.config, diagnostics: [...diagnostics.filter((d) => relevantTo(d, loaded.config)), ...loaded.diagnostics] };
}

// Scan problems about other files are not this unit's business.
function relevantTo(d: Diagnostic, config: UnitConfig): boolean {
  const base = path.basename(d.file);
  return base === config.id || config.aliases.includes(base);
}

/** The fragment `cat` shows for a name: the file that wins the search path (after aliases and templates). */
export function findUnitFile(name: string, unitPath: readonly string[]): { path: string; text: string } | undefined {
  const { source } = scanSource(unitPath, false);
  const r = resolveUnitName(source.map, name);
  if (r.kind !== 'fragment' || r.entry.kind === 'builtin') return undefined;
  const text = source.readFragment(r.entry.path);
  return 'text' in text ? { path: r.entry.path, text: text.text } : undefined;
}

/** The drop-ins `cat` shows after the fragment, in the order they apply. */
export function findDropIns(name: string, unitPath: readonly string[]): UnitSourceFile[] {
  const { source } = scanSource(unitPath, false);
  const r = resolveUnitName(source.map, name);
  const type = parseUnitName(name)?.suffix;
  if (r.kind !== 'fragment' || type === undefined) return [];
  const names = [r.id, ...aliasesOf(source.map, r.id)];
  return source.readDropIns(dropInSearchDirs(source.unitPath, names, type, '.d'), () => undefined);
}

/** Scans the search path into a UnitFileSource, with the problems the scan met. */
export function openSource(opts: LoadOptions): { source: UnitFileSource; diagnostics: Diagnostic[] } {
  return scanSource(opts.unitPath, opts.builtins !== false, opts.root ?? '');
}

function scanSource(dirs: readonly string[], builtins: boolean, root = ''): { source: UnitFileSource; diagnostics: Diagnostic[] } {
  // Absolute, so that symlink targets compare with the directories and paths print as systemd prints them.
  const unitPath = dirs.map((d) => path.resolve(d));
  const diagnostics: Diagnostic[] = [];
  const listings: Listings = new Map();
  const entries = unitPath.flatMap((dir) => scanDirectory(dir, unitPath, root, diagnostics, listings));
  if (builtins) entries.push(...builtinEntries());
  const source: UnitFileSource = {
    unitPath,
    map: buildUnitFileMap(entries),
    readFragment: (p) => readUnitFile(p),
    readDropIns: (dirs, report) => readDropInDirs(dirs, listings, report),
    listDependencies: (dirs, report) => listDependencyDirs(dirs, listings, report),
  };
  return { source, diagnostics };
}

function builtinEntries(): UnitFileEntry[] {
  const units = [...BUILTIN_UNITS].map(([name, text]): UnitFileEntry => ({ kind: 'builtin', name, path: BUILTIN_PATH_PREFIX + name, text }));
  const aliases = [...BUILTIN_ALIASES].map(
    ([name, target]): UnitFileEntry => ({ kind: 'alias', name, path: BUILTIN_PATH_PREFIX + name, targetName: target, fallbackPath: undefined }),
  );
  return [...units, ...aliases];
}

const errnoMessage = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  return ERRNO_TEXT[code ?? ''] ?? (e instanceof Error ? e.message : String(e));
};

// strerror() wording, as systemd prints it.
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  ELOOP: 'Too many levels of symbolic links',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EIO: 'Input/output error',
};

// Names with a unit-type suffix are unit files (or meant to be); anything else in the directory is ignored.
const UNIT_SUFFIX = /\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)$/;

/**
 * What each directory of the search path held when it was scanned: a unit's drop-in and .wants/ directories
 * are looked for only where its listing names them (about ten names per unit, nearly all absent, each an
 * exception from readdirSync()). An absent search directory holds none; one that could not be listed for
 * another reason has no listing, and every directory below it is tried.
 */
type Listings = Map<string, ReadonlySet<string>>;

/** One directory of the search path → its unit entries (unit_file_build_name_map()). */
function scanDirectory(dir: string, unitPath: readonly string[], root: string, diagnostics: Diagnostic[], listings: Listings): UnitFileEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') diagnostics.push(warning(dir, 0, `Failed to open directory, ignoring: ${errnoMessage(e)}`));
    else listings.set(dir, new Set());
    return [];
  }
  listings.set(dir, new Set(names));
  const entries: UnitFileEntry[] = [];
  for (const name of names) {
    if (!UNIT_SUFFIX.test(name)) continue;
    const p = `${dir}/${name}`;
    if (parseUnitName(name) === undefined) {
      diagnostics.push(warning(p, 0, `Invalid unit name "${name}", ignoring.`));
      continue;
    }
    const entry = scanEntry(name, p, unitPath, root, diagnostics);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

function scanEntry(name: string, p: string, unitPath: readonly string[], root: string, diagnostics: Diagnostic[]): UnitFileEntry | undefined {
  try {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return scanSymlink(name, p, unitPath, root, diagnostics);
    if (!st.isFile()) {
      diagnostics.push(warning(p, 0, 'Unit file is not a regular file, ignoring.'));
      return undefined;
    }
    return st.size === 0 ? { kind: 'masked', name, path: p } : { kind: 'file', name, path: p, size: st.size };
  } catch (e) {
    diagnostics.push(warning(p, 0, `Failed to stat unit file, ignoring: ${errnoMessage(e)}`));
    return undefined;
  }
}

// A link to a unit in the search path under another name is an alias, resolved by name;
// anything else is followed to its file ("linked" unit files, masks through /dev/null).
function scanSymlink(name: string, p: string, unitPath: readonly string[], root: string, diagnostics: Diagnostic[]): UnitFileEntry | undefined {
  const target = linkTarget(p, root);
  if (target === DEV_NULL) return { kind: 'masked', name, path: p };
  const targetName = path.basename(target);
  if (unitPath.includes(path.dirname(target)) && targetName !== name && parseUnitName(targetName) !== undefined) {
    if (!fs.existsSync(target)) diagnostics.push(warning(p, 0, `Alias symlink points to a missing unit file ${target}.`));
    return { kind: 'alias', name, path: p, targetName, fallbackPath: undefined };
  }
  let real: string;
  try {
    real = chase(p, root);
  } catch (e) {
    diagnostics.push(warning(p, 0, `Failed to resolve symlink to ${target}, ignoring: ${errnoMessage(e)}`));
    return undefined;
  }
  if (real === DEV_NULL) return { kind: 'masked', name, path: p };
  const st = fs.statSync(real);
  if (!st.isFile()) {
    diagnostics.push(warning(p, 0, `Symlink target ${real} is not a regular file, ignoring.`));
    return undefined;
  }
  if (st.size === 0) return { kind: 'masked', name, path: p };
  const realName = path.basename(real);
  if (realName === name || parseUnitName(realName) === undefined) return { kind: 'file', name, path: real, size: st.size, linkedFrom: p };
  return { kind: 'alias', name, path: p, targetName: realName, fallbackPath: real };
}

type Report = (d: Diagnostic) => void;

const DEV_NULL = '/dev/null';
// Symlinks may chain; like the kernel, give up after this many hops (ELOOP).
const MAX_SYMLINK_HOPS = 40;

// Where one symlink points; with --root, absolute targets live under the root, except /dev/null (a mask).
function linkTarget(p: string, root: string): string {
  const t = fs.readlinkSync(p);
  if (path.isAbsolute(t)) return t === DEV_NULL || root === '' ? t : root + t;
  return path.resolve(path.dirname(p), t);
}

/** Follows a chain of symlinks to a file (realpath within a root). */
function chase(p: string, root: string): string {
  let cur = p;
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
    if (cur === DEV_NULL) return cur;
    if (!fs.lstatSync(cur).isSymbolicLink()) return root === '' ? fs.realpathSync.native(cur) : cur;
    cur = linkTarget(cur, root);
  }
  throw Object.assign(new Error('symlink loop'), { code: 'ELOOP' });
}

/** Reads a unit file without trusting it: stat first, refuse huge, non-regular and binary files. */
export function readUnitFile(p: string): { text: string; bytes: Uint8Array } | { error: string } {
  let fd: number;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return { error: `Failed to open unit file: ${errnoMessage(e)}` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { error: `Failed to load unit file: ${st.isDirectory() ? 'Is a directory' : 'Not a regular file'}` };
    if (st.size > UNIT_FILE_MAX_BYTES) return { error: `Unit file is too large (${st.size} bytes, limit ${UNIT_FILE_MAX_BYTES}), refusing to load.` };
    const buf = fs.readFileSync(fd);
    if (buf.includes(0)) return { error: 'Unit file contains a NUL byte (binary data?), refusing to load.' };
    return { text: buf.toString('utf8'), bytes: buf };
  } catch (e) {
    return { error: `Failed to read unit file: ${errnoMessage(e)}` };
  } finally {
    fs.closeSync(fd);
  }
}

/** The entries of existing directories; a loop (ELOOP from opening it) is reported, not followed. */
function listDirs(dirs: readonly string[], listings: Listings, report: Report): { dir: string; fileName: string }[] {
  const out: { dir: string; fileName: string }[] = [];
  for (const dir of dirs) {
    const slash = dir.lastIndexOf('/');
    if (listings.get(dir.slice(0, slash))?.has(dir.slice(slash + 1)) === false) continue;
    try {
      for (const fileName of fs.readdirSync(dir).sort()) out.push({ dir, fileName });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') report(warning(dir, 0, `Failed to canonicalize path, ignoring: ${errnoMessage(e)}`));
    }
  }
  return out;
}

function readDropInDirs(dirs: readonly string[], listings: Listings, report: Report): UnitSourceFile[] {
  const confs = listDirs(dirs, listings, report).filter((c) => c.fileName.endsWith('.conf'));
  return selectDropIns(confs).flatMap((c) => {
    const p = `${c.dir}/${c.fileName}`;
    const file = readDropIn(p, report);
    return file === undefined ? [] : [{ path: p, ...file }];
  });
}

// A drop-in symlinked to /dev/null (or empty) masks the same name below it: it applies as empty text.
function readDropIn(p: string, report: Report): { text: string; bytes?: Uint8Array } | undefined {
  const r = readUnitFile(p);
  if ('text' in r) return r;
  if (isNullOrEmpty(p)) return { text: '' };
  report(warning(p, 0, `${r.error.replace('unit file', 'drop-in')} Ignoring.`));
  return undefined;
}

function isNullOrEmpty(p: string): boolean {
  try {
    return fs.realpathSync.native(p) === DEV_NULL || fs.statSync(p).size === 0;
  } catch {
    return false;
  }
}

function listDependencyDirs(dirs: readonly string[], listings: Listings, report: Report): DependencyEntry[] {
  return selectDropIns(listDirs(dirs, listings, report)).map((c) => {
    const p = `${c.dir}/${c.fileName}`;
    return { name: c.fileName, path: p, masked: isDevNull(p) };
  });
}

function isDevNull(p: string): boolean {
  try {
    return fs.realpathSync.native(p) === DEV_NULL;
  } catch {
    return false;
  }
}
