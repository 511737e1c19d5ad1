// systemd.preset(5): which units a distribution wants enabled. `enable PATTERN` / `disable PATTERN`
// lines in *.preset files; the files are read in the order of their names, the first matching line
// decides, and a unit no line mentions is enabled (unit_file_query_preset()).
import { globMatcher } from '../common/glob.js';

export interface PresetRule {
  readonly action: 'enable' | 'disable';
  readonly matches: (unit: string) => boolean;
}

/** The preset folders of the system manager, highest priority first. */
export const SYSTEM_PRESET_DIRS: readonly string[] = [
  '/etc/systemd/system-preset',
  '/run/systemd/system-preset',
  '/usr/local/lib/systemd/system-preset',
  '/lib/systemd/system-preset',
  '/usr/lib/systemd/system-preset',
];

/** One file's rules, and systemd's warning for each line that is neither a comment nor a rule (the line is skipped). */
export function parsePresetFile(text: string, file: string): { rules: PresetRule[]; warnings: string[] } {
  const rules: PresetRule[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const [action, pattern] = line.split(/\s+/);
    if ((action === 'enable' || action === 'disable') && pattern !== undefined) rules.push({ action, matches: globMatcher(pattern) });
    else warnings.push(`${file}:${i + 1}: Couldn't parse line '${line}'. Ignoring.`);
  });
  return { rules, warnings };
}

/**
 * The files that count, in reading order: by file name, a name in a higher-priority folder hiding
 * the same name below it (conf_files_list_strv()). `files` maps each folder to the .preset names it holds.
 */
export function presetFileOrder(files: readonly (readonly [dir: string, names: readonly string[]])[]): string[] {
  const chosen = new Map<string, string>();
  for (const [dir, names] of files) for (const name of names) if (name.endsWith('.preset') && !chosen.has(name)) chosen.set(name, `${dir}/${name}`);
  return [...chosen.keys()].sort().map((name) => chosen.get(name) as string);
}

export function queryPreset(rules: readonly PresetRule[], unit: string): 'enabled' | 'disabled' {
  const rule = rules.find((r) => r.matches(unit));
  return rule?.action === 'disable' ? 'disabled' : 'enabled';
}
