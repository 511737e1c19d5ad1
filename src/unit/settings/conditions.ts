// Condition*= and Assert*= rows of [Unit] (systemd.unit(5) "Conditions and Asserts"); evaluated elsewhere, at job run.
import type { Condition } from '../model.js';
import type { SettingRow } from './define-settings.js';
import { simplifyPath } from './value-parsers.js';

/** Kinds whose parameter is an absolute path (config_parse_unit_condition_path). */
export const PATH_CONDITION_KINDS = [
  'PathExists',
  'PathExistsGlob',
  'PathIsDirectory',
  'PathIsSymbolicLink',
  'PathIsMountPoint',
  'PathIsReadWrite',
  'PathIsEncrypted',
  'DirectoryNotEmpty',
  'FileNotEmpty',
  'FileIsExecutable',
  'NeedsUpdate',
] as const;

/** Kinds whose parameter is a string (config_parse_unit_condition_string). */
export const STRING_CONDITION_KINDS = [
  'Architecture',
  'Firmware',
  'Virtualization',
  'Host',
  'KernelCommandLine',
  'KernelVersion',
  'Credential',
  'Security',
  'Capability',
  'ACPower',
  'FirstBoot',
  'User',
  'Group',
  'ControlGroupController',
  'CPUs',
  'CPUFeature',
  'Environment',
  'Memory',
  'OSRelease',
  'MemoryPressure',
  'CPUPressure',
  'IOPressure',
] as const;

/** ConditionFirmware= exists only as a condition in systemd 252, not as an assert. */
const CONDITION_ONLY = new Set<string>(['Firmware']);

type Which = 'conditions' | 'asserts';

/** Splits the "|" (triggering) and "!" (negation) prefixes off, as condition_parse does. */
function splitPrefixes(value: string): { trigger: boolean; negate: boolean; rest: string } {
  let rest = value;
  const trigger = rest.startsWith('|');
  if (trigger) rest = rest.slice(1).trimStart();
  const negate = rest.startsWith('!');
  if (negate) rest = rest.slice(1).trimStart();
  return { trigger, negate, rest };
}

function conditionRow(which: Which, kind: string, isPath: boolean): SettingRow {
  return {
    specifiers: false,
    apply(draft, value, ctx) {
      // An empty value resets every condition (or assert) of the unit, not only this kind.
      if (value === '') {
        draft.unit[which] = [];
        return;
      }
      const { trigger, negate, rest } = splitPrefixes(value);
      const expanded = ctx.expand(rest);
      if (expanded === undefined) return;
      let parameter = expanded;
      if (isPath) {
        if (!parameter.startsWith('/')) {
          ctx.warn(`${ctx.key}= path is not absolute, ignoring: ${parameter}`);
          return;
        }
        parameter = simplifyPath(parameter);
      }
      const condition: Condition = { kind, trigger, negate, parameter };
      draft.unit[which] = [...draft.unit[which], condition];
      draft.explicit.add(ctx.key);
    },
  };
}

/** Rows for every Condition*= and Assert*= key systemd 252 knows. */
export function conditionRows(): Record<string, SettingRow> {
  const rows: Record<string, SettingRow> = {};
  const kinds: [string, boolean][] = [
    ...PATH_CONDITION_KINDS.map((k): [string, boolean] => [k, true]),
    ...STRING_CONDITION_KINDS.map((k): [string, boolean] => [k, false]),
  ];
  for (const [kind, isPath] of kinds) {
    rows[`Condition${kind}`] = conditionRow('conditions', kind, isPath);
    if (!CONDITION_ONLY.has(kind)) rows[`Assert${kind}`] = conditionRow('asserts', kind, isPath);
  }
  return rows;
}
