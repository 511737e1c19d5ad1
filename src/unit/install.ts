// `systemctl enable`/`disable` as plans: which symlinks [Install] asks for (systemd.unit(5) "[Install] Section Options", systemctl(1)).
import type { InstallSection } from './model.js';
import { parseUnitName, templateOf, withInstance } from './unit-name.js';

/** A unit file as `enable` sees it: the name asked for and the fragment that serves it. */
export interface InstallInfo {
  /** The name asked for: "a.service", "t@.service" or an instance "t@x.service". */
  readonly name: string;
  /** The fragment's path as the running system sees it (without --root). */
  readonly path: string;
  readonly install: InstallSection;
}

/** One step of an enable plan, in systemctl's order; errors stay in line as systemctl prints them. */
export type InstallStep =
  | { readonly kind: 'symlink'; readonly link: string; readonly target: string; readonly dependencyOf: string | undefined }
  | { readonly kind: 'error'; readonly message: string };

export type Verb = 'enable' | 'disable';

/** Whether [Install] has anything `enable` can act on (unit_file_install_info_has_rules). */
export const hasInstallRules = (i: InstallSection): boolean =>
  i.alias.length > 0 || i.wantedBy.length > 0 || i.requiredBy.length > 0 || i.upheldBy.length > 0;

export const hasAlso = (i: InstallSection): boolean => i.also.length > 0;

/**
 * The symlinks `systemctl enable` creates for one unit under `configDir`, in the order it
 * creates them: Alias= first, then WantedBy= (.wants/), RequiredBy= (.requires/), UpheldBy= (.upholds/).
 * Also= is left to the caller, which enables those units after this one.
 */
export function planEnable(info: InstallInfo, configDir: string): InstallStep[] {
  return [
    ...aliasSteps(info, configDir),
    ...dependencySteps(info, configDir, info.install.wantedBy, '.wants'),
    ...dependencySteps(info, configDir, info.install.requiredBy, '.requires'),
    ...dependencySteps(info, configDir, info.install.upheldBy, '.upholds'),
  ];
}

function aliasSteps(info: InstallInfo, configDir: string): InstallStep[] {
  const own = parseUnitName(info.name);
  return info.install.alias.flatMap((alias): InstallStep[] => {
    const parsed = parseUnitName(alias);
    if (parsed === undefined || own === undefined) return [{ kind: 'error', message: `Failed to enable unit: "${alias}" is not a valid unit name.` }];
    // systemd refuses aliases of another type: "foo.service" cannot also be "foo.socket".
    if (parsed.suffix !== own.suffix) return [{ kind: 'error', message: `Failed to enable unit: invalid unit reference "${alias}".` }];
    // An instance enabled through a template alias keeps its instance: Alias=b@.service on a@x.service → b@x.service.
    const linkName = own.instance !== undefined && parsed.template ? withInstance(alias, own.instance) : alias;
    return [{ kind: 'symlink', link: `${configDir}/${linkName}`, target: info.path, dependencyOf: undefined }];
  });
}

function dependencySteps(info: InstallInfo, configDir: string, targets: readonly string[], dirSuffix: string): InstallStep[] {
  const own = parseUnitName(info.name);
  return targets.flatMap((target): InstallStep[] => {
    const dst = parseUnitName(target);
    if (own === undefined || dst === undefined) return [{ kind: 'error', message: `Failed to enable unit: "${target}" is not a valid unit name.` }];
    const linkName = dependencyLinkName(info, own.template, dst.template);
    if (linkName === undefined) {
      return [{ kind: 'error', message: `Failed to enable ${info.name}, destination unit ${target} is a non-template unit.` }];
    }
    return [{ kind: 'symlink', link: `${configDir}/${target}${dirSuffix}/${linkName}`, target: info.path, dependencyOf: target }];
  });
}

// install_info_symlink_wants(): a template is wired in by its DefaultInstance=, or template-to-template.
function dependencyLinkName(info: InstallInfo, isTemplate: boolean, targetIsTemplate: boolean): string | undefined {
  if (!isTemplate) return info.name;
  if (info.install.defaultInstance !== undefined && info.install.defaultInstance !== '') return withInstance(info.name, info.install.defaultInstance);
  return targetIsTemplate ? info.name : undefined;
}

/** A symlink found under a config directory, for `disable` and `is-enabled`. */
export interface ConfigLink {
  /** Full path of the link (without --root). */
  readonly path: string;
  /** Where it points, as written (absolute or relative). */
  readonly target: string;
  /** Directly in the config directory (an alias or a linked unit file), not in a .wants/-style directory. */
  readonly topLevel?: boolean;
}

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * The links `disable` removes: every symlink in the config directory named like one of the
 * units, or pointing at one of them (by name or path) — remove_marked_symlinks(). A link
 * named as another instance of a template is kept unless the template itself is disabled.
 */
export function planDisable(unitNames: readonly string[], fragmentPaths: readonly string[], links: readonly ConfigLink[]): ConfigLink[] {
  const names = new Set(unitNames);
  const paths = new Set(fragmentPaths);
  return links.filter((link) => {
    // A mask is undone by unmask, not by disable.
    if (link.target === '/dev/null') return false;
    const name = baseName(link.path);
    if (names.has(name)) return true;
    const pointsAtUnit = names.has(baseName(link.target)) || paths.has(link.target);
    if (!pointsAtUnit) return false;
    const template = templateOf(name);
    if (template !== undefined && parseUnitName(name)?.template !== true) return names.has(template);
    return true;
  });
}

export type UnitFileState =
  | 'enabled'
  | 'enabled-runtime'
  | 'linked'
  | 'linked-runtime'
  | 'alias'
  | 'masked'
  | 'masked-runtime'
  | 'static'
  | 'disabled'
  | 'indirect'
  | 'generated';

/** States that make `is-enabled` exit 0 (systemctl's is-enabled). */
export const ENABLED_STATES: ReadonlySet<UnitFileState> = new Set<UnitFileState>(['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated']);

/** A name `[Install]` itself would create a link under (is_symlink_with_known_name()). */
function isKnownLinkName(info: InstallInfo, linkName: string): boolean {
  if (linkName === info.name || info.install.alias.includes(linkName)) return true;
  const def = info.install.defaultInstance;
  return def !== undefined && def !== '' && parseUnitName(info.name)?.template === true && linkName === withInstance(info.name, def);
}

/** Whether a config-dir link belongs to this unit (find_symlinks_in_directory()). */
function linkMatches(info: InstallInfo, link: ConfigLink): boolean {
  const name = baseName(link.path);
  // The unit file itself, linked in under its own name, is not an enablement.
  if (link.topLevel === true && name === info.name) return false;
  const own = parseUnitName(info.name);
  // An instance only counts links under its own name.
  if (own?.instance !== undefined && !own.template) return name === info.name;
  return name === info.name || baseName(link.target) === info.name || link.target === info.path;
}

/**
 * `is-enabled` for a unit file that is neither masked nor an alias: links in the persistent
 * config dir, then the runtime one, decide; then whether the file is linked in; then [Install].
 */
export function unitFileState(
  info: InstallInfo,
  persistentLinks: readonly ConfigLink[],
  runtimeLinks: readonly ConfigLink[],
  linked?: 'linked' | 'linked-runtime',
): UnitFileState {
  for (const [links, runtime] of [[persistentLinks, false], [runtimeLinks, true]] as const) {
    const matching = links.filter((l) => linkMatches(info, l));
    if (matching.some((l) => isKnownLinkName(info, baseName(l.path)))) return runtime ? 'enabled-runtime' : 'enabled';
    if (matching.length > 0) return 'indirect';
  }
  // `systemctl link`: the unit file itself is a symlink in a config directory to a file outside the search path.
  if (linked !== undefined) return linked;
  if (hasInstallRules(info.install)) return 'disabled';
  if (hasAlso(info.install)) return 'indirect';
  return 'static';
}
