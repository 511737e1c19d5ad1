// `list-unit-files` without a daemon, as systemctl reads the unit search path (unit_file_get_list()):
// every unit file and symlink named like a unit, once, with its state and its preset.
import { readdirSync, readFileSync } from 'node:fs';
import { generatorOutput, withGeneratorOutput } from '../../unit/generators.js';
import { parsePresetFile, presetFileOrder, queryPreset, SYSTEM_PRESET_DIRS, type PresetRule } from '../../unit/presets.js';
import { globMatcher } from '../../common/glob.js';
import { openOfflineSource } from './install-info.js';
import { lookupState } from './is-enabled.js';
import { offlinePaths, withoutRoot, type OfflinePaths } from './paths.js';

export interface UnitFileRow {
  readonly unitFile: string;
  readonly state: string;
  /** undefined where systemctl shows no preset (alias, static, generated units). */
  readonly preset: 'enabled' | 'disabled' | undefined;
}

export interface ListUnitFilesArgs {
  readonly root?: string | undefined;
  readonly unitPath?: readonly string[] | undefined;
  readonly patterns: readonly string[];
  readonly states: readonly string[];
}

/** show_preset_for_state(): a preset says nothing about these. */
const NO_PRESET: ReadonlySet<string> = new Set(['alias', 'static', 'generated', 'transient']);

export function listUnitFiles(args: ListUnitFilesArgs): { rows: UnitFileRow[]; warnings: string[] } {
  const base = offlinePaths(args);
  // systemd's own search path has the generators' output folders in it too.
  const generated = base.configDirs.runtime !== undefined ? Object.values(generatorOutput(`${base.root}/run/systemd`)) : [];
  const paths: OfflinePaths = generated.length > 0 ? { ...base, unitPath: withGeneratorOutput(base.unitPath.map((d) => withoutRoot(d, base.root)), generatorOutput('/run/systemd')).map((d) => base.root + d) } : base;
  const source = openOfflineSource(paths);
  const { rules, warnings } = readPresets(base.root);
  const wanted = args.patterns.map(globMatcher);
  const rows: UnitFileRow[] = [];
  for (const [name, entry] of source.map) {
    if (entry.kind === 'builtin' || (wanted.length > 0 && !wanted.some((m) => m(name)))) continue;
    const inGenerated = entry.kind === 'file' && generated.some((dir) => entry.path.startsWith(`${dir}/`));
    const looked = inGenerated ? undefined : lookupState(source, paths, name);
    const state = inGenerated ? 'generated' : looked?.kind === 'state' ? looked.state : 'bad';
    if (args.states.length > 0 && !args.states.includes(state)) continue;
    rows.push({ unitFile: name, state, preset: NO_PRESET.has(state) ? undefined : queryPreset(rules, name) });
  }
  return { rows: rows.sort(byTypeThenName), warnings };
}

/** compare_unit_file_list(): by the type suffix, then by name, both ignoring case. */
function byTypeThenName(a: UnitFileRow, b: UnitFileRow): number {
  const cmp = (x: string, y: string) => (x.toLowerCase() < y.toLowerCase() ? -1 : x.toLowerCase() > y.toLowerCase() ? 1 : 0);
  const suffix = (n: string) => n.slice(n.lastIndexOf('.'));
  return cmp(suffix(a.unitFile), suffix(b.unitFile)) || cmp(a.unitFile, b.unitFile);
}

/** The preset rules under the root, file by file in systemd's order, and the lines that are not rules. */
function readPresets(root: string): { rules: PresetRule[]; warnings: string[] } {
  const listing = SYSTEM_PRESET_DIRS.map((dir): [string, string[]] => {
    try {
      return [root + dir, readdirSync(root + dir)];
    } catch {
      return [root + dir, []];
    }
  });
  const parsed = presetFileOrder(listing).map((file) => {
    try {
      return parsePresetFile(readFileSync(file, 'utf8'), file);
    } catch {
      return { rules: [], warnings: [] };
    }
  });
  return { rules: parsed.flatMap((p) => p.rules), warnings: parsed.flatMap((p) => p.warnings) };
}
