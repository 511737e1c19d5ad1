// Loading units by name from a set of unit files: fragment, drop-ins, .wants/ dirs, stubs (systemd.unit(5), unit_load_fragment_and_dropin()).
import { dedupeDiagnostics, error, warning, type Diagnostic } from './diagnostic.js';
import { dropInSearchDirs } from './drop-in-dirs.js';
import { applyDefaultDependencies, type DirectoryDependencies, type OtherUnitFacts } from './default-dependencies.js';
import { loadFragment, stubUnit, type UnitSourceFile } from './load-fragment.js';
import { FORWARD_DEPENDENCIES, UNIT_TYPES, type UnitConfig } from './model.js';
import type { SpecifierContext } from './specifiers.js';

/** Host facts for specifiers; the unit's own name is filled in per unit. */
export type HostSpecifiers = Omit<SpecifierContext, 'unitName'>;
import { aliasesOf, loadableNames, resolveUnitName, type UnitFileMap } from './unit-file-map.js';
import { parseUnitName, withInstance } from './unit-name.js';

/** An entry of a .wants/, .requires/ or .upholds/ directory. */
export interface DependencyEntry {
  readonly name: string;
  readonly path: string;
  /** Symlinked to /dev/null: the dependency is masked. */
  readonly masked: boolean;
}

/** What the loader needs from the file system; unit-directory.ts implements it, tests may fake it. */
export interface UnitFileSource {
  readonly unitPath: readonly string[];
  readonly map: UnitFileMap;
  /** The text of a fragment, or why it cannot be read (too large, binary, not a file...). */
  readFragment(path: string): { readonly text: string; readonly bytes?: Uint8Array } | { readonly error: string };
  /** The *.conf files of these directories, already de-duplicated by file name and sorted. */
  readDropIns(dirs: readonly string[], report: (d: Diagnostic) => void): UnitSourceFile[];
  /** The entries of these dependency directories, de-duplicated by name (first directory wins). */
  listDependencies(dirs: readonly string[], report: (d: Diagnostic) => void): DependencyEntry[];
}

export interface LoadedUnit {
  readonly config: UnitConfig;
  readonly diagnostics: Diagnostic[];
}

const SUPPORTED_TYPES: ReadonlySet<string> = new Set(UNIT_TYPES);

// The extra dependencies each directory suffix adds (unit_load_dropin() → process_deps()).
const DEPENDENCY_DIRS = [
  { suffix: '.wants', key: 'wants', setting: 'Wants' },
  { suffix: '.requires', key: 'requires', setting: 'Requires' },
  { suffix: '.upholds', key: 'upholds', setting: 'Upholds' },
] as const;

/** A unit as read, before default dependencies: they need facts about the other units. */
interface RawUnit {
  readonly config: UnitConfig;
  readonly extra: DirectoryDependencies;
  readonly diagnostics: Diagnostic[];
}

const NO_EXTRA: DirectoryDependencies = { wants: [], requires: [], upholds: [] };

/**
 * Loads one unit by any of its names: a stub (not-found, masked, error) when it cannot be
 * loaded. `others` tells a target about the units it pulls in (default: read them too).
 */
export function loadUnit(src: UnitFileSource, name: string, specifiers: HostSpecifiers, others?: OtherFacts): LoadedUnit {
  const raw = readUnit(src, name, specifiers);
  const facts = others ?? ((n: string) => factsOf(readUnit(src, n, specifiers).config));
  return { config: withDefaults(raw, facts), diagnostics: raw.diagnostics };
}

type OtherFacts = (name: string) => OtherUnitFacts | undefined;

const factsOf = (c: UnitConfig): OtherUnitFacts => ({ loadState: c.loadState, defaultDependencies: c.unit.defaultDependencies });

function withDefaults(raw: RawUnit, others: OtherFacts | undefined): UnitConfig {
  return raw.config.loadState === 'loaded' ? applyDefaultDependencies(raw.config, raw.extra, others) : raw.config;
}

function readUnit(src: UnitFileSource, name: string, specifiers: HostSpecifiers): RawUnit {
  const parsed = parseUnitName(name);
  if (parsed === undefined) return stub(name, 'error', `Invalid unit name "${name}".`, []);
  const r = resolveUnitName(src.map, name);
  const where = src.map.get(name)?.path;
  if (!SUPPORTED_TYPES.has(parsed.suffix)) {
    const message = `Unit type ${parsed.suffix} is not supported by unitvisor.`;
    return stub(name, 'error', message, where === undefined ? [] : [error(where, 0, message)]);
  }
  switch (r.kind) {
    case 'not-found':
      return stub(name, 'not-found', `Unit ${name} not found.`, []);
    case 'masked':
      return stub(r.id, 'masked', `Unit ${r.id} is masked.`, []);
    case 'loop': {
      const message = `Failed to resolve alias ${r.chain.join(' → ')}: Too many levels of symbolic links`;
      return stub(name, 'error', message, [error(where ?? name, 0, message)]);
    }
    case 'fragment':
      break;
  }
  const text = r.entry.kind === 'builtin' ? { text: r.entry.text } : src.readFragment(r.entry.path);
  if ('error' in text) return stub(r.id, 'error', text.error, [error(r.entry.path, 0, text.error)]);
  const aliases = aliasesOf(src.map, r.id);
  if (name !== r.id && !aliases.includes(name)) aliases.push(name);
  const names = [r.id, ...aliases];
  const found: Diagnostic[] = [];
  const dropIns = src.readDropIns(dropInSearchDirs(src.unitPath, names, parsed.suffix, '.d'), (d) => found.push(d));
  const fragment = { path: r.entry.path, text: text.text, ...('bytes' in text && text.bytes ? { bytes: text.bytes } : {}) };
  const loaded = loadFragment({ name: r.id, fragment, dropIns, aliases, specifiers: { ...specifiers, unitName: r.id } });
  const deps = dependencyDirs(src, names, parsed.suffix, r.instance);
  return { config: loaded.config, extra: deps.extra, diagnostics: [...found, ...loaded.diagnostics, ...deps.diagnostics] };
}

function stub(name: string, state: 'not-found' | 'masked' | 'error', message: string, diagnostics: Diagnostic[]): RawUnit {
  return { config: stubUnit(name, state, message), extra: NO_EXTRA, diagnostics };
}

// process_deps(): every entry names a unit; a template entry is instantiated with our instance.
function dependencyDirs(src: UnitFileSource, names: readonly string[], type: string, instance: string | undefined) {
  const extra = { wants: [] as string[], requires: [] as string[], upholds: [] as string[] };
  const diagnostics: Diagnostic[] = [];
  for (const { suffix, key, setting } of DEPENDENCY_DIRS) {
    for (const entry of src.listDependencies(dropInSearchDirs(src.unitPath, names, type, suffix), (d) => diagnostics.push(d))) {
      if (entry.masked) continue;
      const parsed = parseUnitName(entry.name);
      if (parsed === undefined) {
        diagnostics.push(warning(entry.path, 0, `${setting} dependency dropin ${entry.name} is not a valid unit name, ignoring.`));
      } else if (parsed.template && instance === undefined) {
        diagnostics.push(warning(entry.path, 0, `${setting} dependency dropin ${entry.name} can be instantiated only for instance unit, ignoring.`));
      } else {
        extra[key].push(parsed.template && instance !== undefined ? withInstance(entry.name, instance) : entry.name);
      }
    }
  }
  return { extra, diagnostics };
}

/** Every unit a loaded unit names, which must load too (as stubs when absent). */
export function referencedNames(config: UnitConfig): string[] {
  return FORWARD_DEPENDENCIES.flatMap((kind) => config.unit.dependencies[kind]);
}

export interface UnitSet {
  /** By primary id; every alias resolves through `resolve`. */
  readonly units: ReadonlyMap<string, UnitConfig>;
  readonly diagnostics: readonly Diagnostic[];
  /** By id or alias. */
  resolve(name: string): UnitConfig | undefined;
}

/**
 * Loads every unit the source has (templates only through their instances), then every unit
 * those name, transitively. Two names of one unit load it once.
 */
export function loadUnitSet(src: UnitFileSource, specifiers: HostSpecifiers, initial: readonly Diagnostic[]): UnitSet {
  const raws = new Map<string, RawUnit>();
  const byName = new Map<string, string>();
  const diagnostics = [...initial];
  // 1. Read every unit found, then every unit named, until nothing new is named.
  const queue = loadableNames(src.map);
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i]!;
    if (byName.has(name)) continue;
    const raw = readUnit(src, name, specifiers);
    const id = raw.config.id;
    byName.set(name, id);
    if (raws.has(id)) continue;
    raws.set(id, raw);
    diagnostics.push(...raw.diagnostics);
    for (const n of [id, ...raw.config.aliases]) byName.set(n, id);
    queue.push(...referencedNames(withDefaults(raw, undefined)));
  }
  // 2. Default dependencies, now that a target can see whether the units it pulls in loaded.
  const facts: OtherFacts = (n) => {
    const raw = raws.get(byName.get(n) ?? n);
    return raw === undefined ? undefined : factsOf(raw.config);
  };
  const units = new Map([...raws].map(([id, raw]) => [id, withDefaults(raw, facts)] as const));
  return {
    units,
    diagnostics: dedupeDiagnostics(diagnostics),
    resolve: (name) => {
      const id = byName.get(name);
      return id === undefined ? undefined : units.get(id);
    },
  };
}

