// Names → unit files across the search path: precedence, masks, alias symlinks (systemd.unit(5), unit_file_build_name_map()).
import { parseUnitName, templateOf, withInstance } from './unit-name.js';

/** What one directory entry named like a unit says, as the file-system scan found it. */
export type UnitFileEntry =
  /** A unit file (a regular file, or a same-name symlink to one: a "linked" unit, `linkedFrom` being the link). */
  | { readonly kind: 'file'; readonly name: string; readonly path: string; readonly size: number; readonly linkedFrom?: string }
  /** Symlinked to /dev/null, or empty. */
  | { readonly kind: 'masked'; readonly name: string; readonly path: string }
  /** A symlink naming another unit: an alias. `fallbackPath` is the file it reaches when the target lies outside the search path. */
  | { readonly kind: 'alias'; readonly name: string; readonly path: string; readonly targetName: string; readonly fallbackPath: string | undefined }
  /** Built into unitvisor (standard targets); lowest priority. */
  | { readonly kind: 'builtin'; readonly name: string; readonly path: string; readonly text: string };

/** Name → the entry of the highest-priority directory that has that name. */
export type UnitFileMap = ReadonlyMap<string, UnitFileEntry>;

/** How a name resolves. `id` is the primary name the unit loads under. */
export type Resolution =
  | { readonly kind: 'fragment'; readonly id: string; readonly entry: Extract<UnitFileEntry, { kind: 'file' | 'builtin' }>; readonly instance: string | undefined }
  | { readonly kind: 'masked'; readonly id: string; readonly path: string }
  | { readonly kind: 'not-found'; readonly id: string }
  | { readonly kind: 'loop'; readonly id: string; readonly chain: readonly string[] };

// unit_ids_map_get() gives up after this many hops (FOLLOW_MAX).
const FOLLOW_MAX = 64;

/** Builds the map from entries listed highest priority first: the first entry for a name wins. */
export function buildUnitFileMap(entries: readonly UnitFileEntry[]): Map<string, UnitFileEntry> {
  const map = new Map<string, UnitFileEntry>();
  for (const e of entries) if (!map.has(e.name)) map.set(e.name, e);
  return map;
}

/**
 * Follows alias names to a fragment. An instance with no file of its own loads from its
 * template ("x@inst.service" from "x@.service"), under the instance name of whatever the
 * template resolves to.
 */
export function resolveUnitName(map: UnitFileMap, name: string): Resolution {
  const direct = followAliases(map, name);
  if (direct.kind !== 'not-found') return direct;
  const parsed = parseUnitName(name);
  const template = templateOf(name);
  if (parsed === undefined || parsed.template || parsed.instance === undefined || template === undefined) return direct;
  const viaTemplate = followAliases(map, template);
  switch (viaTemplate.kind) {
    case 'fragment':
      return { ...viaTemplate, id: withInstance(viaTemplate.id, parsed.instance), instance: parsed.instance };
    case 'masked':
      return { ...viaTemplate, id: withInstance(viaTemplate.id, parsed.instance) };
    case 'not-found':
      return direct;
    case 'loop':
      return viaTemplate;
  }
}

function followAliases(map: UnitFileMap, name: string): Resolution {
  const chain: string[] = [];
  let id = name;
  for (let hop = 0; hop < FOLLOW_MAX; hop++) {
    chain.push(id);
    const entry = map.get(id);
    if (entry === undefined) return { kind: 'not-found', id };
    switch (entry.kind) {
      case 'file':
      case 'builtin':
        return { kind: 'fragment', id, entry, instance: undefined };
      case 'masked':
        return { kind: 'masked', id, path: entry.path };
      case 'alias':
        if (!map.has(entry.targetName) && entry.fallbackPath !== undefined) {
          return { kind: 'fragment', id: entry.targetName, entry: { kind: 'file', name: entry.targetName, path: entry.fallbackPath, size: 0 }, instance: undefined };
        }
        if (chain.includes(entry.targetName)) return { kind: 'loop', id: name, chain: [...chain, entry.targetName] };
        id = entry.targetName;
    }
  }
  return { kind: 'loop', id: name, chain };
}

/**
 * Every other name that resolves to `id`: alias symlinks, and for an instance the
 * template's aliases turned into instances (foo@.service → x@.service makes foo@i.service an alias of x@i.service).
 */
export function aliasesOf(map: UnitFileMap, id: string): string[] {
  const index = aliasIndexOf(map);
  const aliases = (index.get(id) ?? []).filter((name) => name !== id);
  const parsed = parseUnitName(id);
  if (parsed?.instance !== undefined && !parsed.template) {
    for (const name of index.get(templateOf(id) ?? '') ?? []) {
      if (name !== id && parseUnitName(name)?.template === true) aliases.push(withInstance(name, parsed.instance));
    }
  }
  return aliases.sort();
}

// Every alias resolved once per map, by the name it leads to: loading N units asks for aliases N times,
// and a scan of the whole map each time would make loading quadratic in the number of units.
const aliasIndexes = new WeakMap<UnitFileMap, ReadonlyMap<string, readonly string[]>>();
function aliasIndexOf(map: UnitFileMap): ReadonlyMap<string, readonly string[]> {
  const cached = aliasIndexes.get(map);
  if (cached !== undefined) return cached;
  const index = new Map<string, string[]>();
  for (const [name, entry] of map) {
    if (entry.kind !== 'alias') continue;
    const r = followAliases(map, name);
    if (r.kind !== 'fragment' && r.kind !== 'masked') continue;
    const names = index.get(r.id);
    if (names === undefined) index.set(r.id, [name]);
    else names.push(name);
  }
  aliasIndexes.set(map, index);
  return index;
}

/** The names `loadUnitDirectory` loads on its own: every name with a fragment, except templates themselves. */
export function loadableNames(map: UnitFileMap): string[] {
  return [...map.keys()].filter((name) => parseUnitName(name)?.template !== true).sort();
}
