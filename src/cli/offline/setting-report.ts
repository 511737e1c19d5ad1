// `verify --report [UNIT...]`: every setting the units set, and how far unitvisor honours it on this host
// (supported, enforced here, approximated, not enforced here, ignored), as a table or JSON.
import { resolveUnitPath } from '../../unit/search-path.js';
import { loadUnitByName, loadUnitDirectory } from '../../unit/unit-directory.js';
import type { UnitConfig } from '../../unit/model.js';
import { SETTING_STATUSES, settingSupport, type HostAbilities, type SettingStatus } from '../../unit/setting-support.js';
import { hostSpecifierContext } from '../../process/host-facts.js';
import { hostAbilities } from '../../process/host-abilities.js';
import { formatTable } from '../format/table.js';
import { formatJson, type JsonMode } from '../format/json.js';
import type { OfflineResult } from './result.js';

export interface ReportRow {
  /** "Section.Key". */
  readonly setting: string;
  readonly status: SettingStatus;
  readonly why: string | undefined;
  /** The units that set it, sorted. */
  readonly units: readonly string[];
}

export interface ReportArgs {
  readonly unitPath: readonly string[];
  /** The units to report on; none: every unit the search path loads. */
  readonly names: readonly string[];
  readonly json: JsonMode | undefined;
}

/** One row per setting any of `units` sets: statuses in SETTING_STATUSES order, then by name. */
export function settingReport(units: Iterable<UnitConfig>, host: HostAbilities): ReportRow[] {
  const users = new Map<string, Set<string>>();
  for (const unit of units) for (const s of unit.settings ?? []) users.set(s, (users.get(s) ?? new Set()).add(unit.id));
  const rank = (s: SettingStatus) => SETTING_STATUSES.indexOf(s);
  return [...users]
    .map(([setting, ids]) => {
      const support = settingSupport(setting, host);
      return { setting, status: support.status, why: support.why, units: [...ids].sort() };
    })
    .sort((a, b) => rank(a.status) - rank(b.status) || a.setting.localeCompare(b.setting));
}

/** The table, then one line of totals per status. */
export function formatReport(rows: readonly ReportRow[], unitCount: number): string {
  const table = formatTable(
    ['SETTING', 'STATUS', 'UNITS', 'WHY'],
    rows.map((r) => [r.setting, r.status, String(r.units.length), r.why ?? '']),
    ['left', 'left', 'right', 'left'],
  );
  const totals = SETTING_STATUSES.map((s) => `${rows.filter((r) => r.status === s).length} ${s}`).join(', ');
  return [...table, '', `${rows.length} settings in ${unitCount} units: ${totals}.`].join('\n');
}

export function runReport(args: ReportArgs): OfflineResult {
  const unitPath = resolveUnitPath({ unitPath: args.unitPath, env: process.env });
  const specifiers = hostSpecifierContext();
  const units = args.names.length > 0 ? args.names.map((n) => loadUnitByName(n, { unitPath, specifiers }).config) : [...loadUnitDirectory({ unitPath, specifiers }).units.values()];
  const rows = settingReport(units, hostAbilities());
  const stdout = args.json !== undefined ? formatJson(rows, args.json) : formatReport(rows, units.length);
  return { stdout: `${stdout}\n`, stderr: '', exitCode: 0 };
}
