// `enable` and `disable` without a daemon: the symlinks `systemctl enable/disable` makes and removes, with its messages (systemctl(1)).
import { BUILTIN_ALIASES, BUILTIN_UNITS } from '../../unit/builtin-targets.js';
import { hasAlso, hasInstallRules, planDisable, planEnable, type InstallInfo } from '../../unit/install.js';
import type { UnitFileSource } from '../../unit/unit-loader.js';
import { createLink, listConfigLinks, removeLink } from './config-links.js';
import { discover, openOfflineSource } from './install-info.js';
import { offlinePaths, type OfflinePaths } from './paths.js';
import type { OfflineResult } from './result.js';

export interface EnableArgs {
  readonly root?: string | undefined;
  readonly unitPath?: readonly string[] | undefined;
  readonly names: readonly string[];
  readonly disable?: boolean | undefined;
}

// systemctl's notice when nothing it was asked to enable has [Install] rules (systemctl-enable.c).
export const NO_INSTALL_CONFIG_TEXT = `The unit files have no installation config (WantedBy=, RequiredBy=, Also=,
Alias= settings in the [Install] section, and DefaultInstance= for template
units). This means they are not meant to be enabled using systemctl.
 
Possible reasons for having this kind of units are:
• A unit may be statically enabled by being symlinked from another unit's
  .wants/ or .requires/ directory.
• A unit's purpose may be to act as a helper for some other unit which has
  a requirement dependency on it.
• A unit may be started when needed via activation (socket, path, timer,
  D-Bus, udev, scripted systemctl call, ...).
• In case of template units, the unit is meant to be enabled with some
  instance name specified.`;

export function runEnable(args: EnableArgs): OfflineResult {
  const paths = offlinePaths(args);
  const source = openOfflineSource(paths);
  return args.disable !== true ? enable(args.names, source, paths) : disable(args.names, source, paths);
}

function discoveryError(verb: string, name: string, d: ReturnType<typeof discover>): string {
  switch (d.kind) {
    case 'not-found':
      return `Failed to ${verb} unit, unit ${name} does not exist.`;
    case 'masked':
      return `Failed to ${verb} unit, unit ${d.rootedPath} is masked.`;
    case 'bad':
      return `Failed to ${verb} unit: ${d.message}`;
    case 'found':
      return '';
  }
}

/** The named units and, after them, those their Also= names, each once; stops at the first that cannot be found. */
function discoverAll(source: UnitFileSource, names: readonly string[], root: string, verb: string) {
  const infos: InstallInfo[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const queue = [...names];
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i]!;
    if (seen.has(name)) continue;
    seen.add(name);
    const d = discover(source, name, root);
    if (d.kind === 'masked' && verb === 'disable') {
      notes.push(`Unit ${d.rootedPath} is masked, ignoring.`);
      continue;
    }
    if (d.kind !== 'found') return { infos, notes, failure: discoveryError(verb, name, d) };
    infos.push(d.info);
    queue.push(...d.info.install.also);
  }
  return { infos, notes, failure: undefined };
}

// Every unit is checked before any link is made: a missing or masked one fails the whole command.
function enable(names: readonly string[], source: UnitFileSource, paths: OfflinePaths): OfflineResult {
  const { infos, failure } = discoverAll(source, names, paths.root, 'enable');
  if (failure !== undefined) return { stdout: '', stderr: text([failure]), exitCode: 1 };
  const lines: string[] = [];
  let failed = false;
  for (const info of infos) {
    for (const step of planEnable(info, paths.configDirs.persistent)) {
      if (step.kind === 'error') {
        lines.push(step.message);
        failed = true;
        continue;
      }
      const outcome = createLink(step.link, step.target, 'enable');
      if (outcome.kind === 'conflict') {
        lines.push(outcome.message);
        failed = true;
        continue;
      }
      if (outcome.kind === 'created') lines.push(`Created symlink ${step.link} → ${step.target}.`);
      // Said again on every enable, link new or not, as systemctl does.
      if (step.dependencyOf !== undefined && !source.map.has(step.dependencyOf) && !isBuiltinName(step.dependencyOf)) {
        lines.push(`Unit ${paths.root}${info.path} is added as a dependency to a non-existent unit ${step.dependencyOf}.`);
      }
    }
  }
  if (!infos.some((i) => hasInstallRules(i.install) || hasAlso(i.install))) lines.push(NO_INSTALL_CONFIG_TEXT);
  return { stdout: '', stderr: text(lines), exitCode: failed ? 1 : 0 };
}

// systemctl 252 disables the units it found before a missing one, reports that one, and still exits 0.
function disable(names: readonly string[], source: UnitFileSource, paths: OfflinePaths): OfflineResult {
  const { infos, notes, failure } = discoverAll(source, names, paths.root, 'disable');
  const dir = paths.configDirs.persistent;
  const links = listConfigLinks(dir, paths.root);
  const lines = [...notes];
  for (const link of planDisable(infos.map((i) => i.name), infos.map((i) => i.path), links)) {
    const rooted = paths.root + link.path;
    removeLink(rooted, dir);
    lines.push(`Removed "${rooted}".`);
  }
  if (failure !== undefined) lines.push(failure);
  return { stdout: '', stderr: text(lines), exitCode: 0 };
}

const text = (lines: readonly string[]): string => (lines.length === 0 ? '' : lines.join('\n') + '\n');

// unitvisor's standard targets exist even where no file provides them.
const BUILTIN_NAMES: ReadonlySet<string> = new Set([...BUILTIN_UNITS.keys(), ...BUILTIN_ALIASES.keys()]);
const isBuiltinName = (name: string): boolean => BUILTIN_NAMES.has(name);
