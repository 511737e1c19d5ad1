// Finding a unit file and its [Install] section for enable/disable/is-enabled (install_info_discover()).
import type { InstallInfo } from '../../unit/install.js';
import { hostSpecifierContext } from '../../process/host-facts.js';
import { openSource } from '../../unit/unit-directory.js';
import { resolveUnitName } from '../../unit/unit-file-map.js';
import { loadUnit, type UnitFileSource } from '../../unit/unit-loader.js';
import { withoutRoot, type OfflinePaths } from './paths.js';

export type Discovery =
  | {
      readonly kind: 'found';
      readonly info: InstallInfo;
      /** The fragment as reached (inside the root). */
      readonly rootedPath: string;
      readonly viaAlias: boolean;
      /** The same-name symlink the fragment was reached through (inside the root), if any. */
      readonly linkedFrom: string | undefined;
    }
  | { readonly kind: 'masked'; /** The masking file (inside the root). */ readonly rootedPath: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad'; readonly message: string };

/** The unit files under the offline paths; built-in targets are not files, so `enable` never sees them. */
export function openOfflineSource(paths: OfflinePaths): UnitFileSource {
  return openSource({ unitPath: paths.unitPath, specifiers: hostSpecifierContext(), builtins: false, root: paths.root }).source;
}

export function discover(source: UnitFileSource, name: string, root: string): Discovery {
  const r = resolveUnitName(source.map, name);
  switch (r.kind) {
    case 'not-found':
      return { kind: 'not-found' };
    case 'masked':
      return { kind: 'masked', rootedPath: r.path };
    case 'loop':
      return { kind: 'bad', message: `Failed to resolve ${name}: Too many levels of symbolic links` };
    case 'fragment': {
      const config = loadUnit(source, name, hostSpecifierContext()).config;
      if (config.loadState !== 'loaded') return { kind: 'bad', message: config.loadError ?? `Unit ${name} failed to load.` };
      // An instance is enabled under the name asked for; anything else under the file's own name.
      const infoName = r.instance !== undefined ? name : r.id;
      const info: InstallInfo = { name: infoName, path: withoutRoot(r.entry.path, root), install: config.install };
      const linkedFrom = r.entry.kind === 'file' ? r.entry.linkedFrom : undefined;
      return { kind: 'found', info, rootedPath: r.entry.path, viaAlias: r.id !== name && r.instance === undefined, linkedFrom };
    }
  }
}
