// `systemctl list-unit-files` (systemctl-list-unit-files.c output_unit_file_list()): UNIT FILE STATE PRESET.
import type { UnitFileRow } from '../offline/list-unit-files.js';
import { formatTable } from './table.js';

export function formatListUnitFiles(rows: readonly UnitFileRow[]): string {
  const table = formatTable(['UNIT FILE', 'STATE', 'PRESET'], rows.map((r) => [r.unitFile, r.state, r.preset ?? '-']));
  return [...table, '', `${rows.length} unit files listed.`].join('\n');
}

/** `list-unit-files -o json`: the columns as format-table names them; no preset is null. */
export const listUnitFilesJson = (rows: readonly UnitFileRow[]) => rows.map((r) => ({ unit_file: r.unitFile, state: r.state, preset: r.preset ?? null }));
