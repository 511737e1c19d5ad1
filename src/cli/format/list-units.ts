// `systemctl list-units` and `systemctl list-jobs` tables (systemctl-list-units.c, systemctl-list-jobs.c).
import type { JobInfo, UnitInfo } from '../../protocol/unit-info.js';
import { formatTable } from './table.js';

/** systemctl marks units that need attention (failed, not loaded) with a "●" in the first column. */
const flagged = (u: UnitInfo) => u.activeState === 'failed' || u.loadState !== 'loaded';

export function formatListUnits(units: readonly UnitInfo[], all: boolean): string {
  if (units.length === 0) {
    return `0 loaded units listed.${all ? '' : ' Pass --all to see loaded but inactive units, too.'}\nTo show all installed unit files use 'systemctl list-unit-files'.`;
  }
  const rows = units.map((u) => [u.id, u.loadState, u.activeState, u.subState, u.description]);
  const [head, ...body] = formatTable(['UNIT', 'LOAD', 'ACTIVE', 'SUB', 'DESCRIPTION'], rows);
  const lines = [`  ${head}`, ...body.map((line, i) => `${flagged(units[i] as UnitInfo) ? '●' : ' '} ${line}`)];
  lines.push(
    '',
    'LOAD   = Reflects whether the unit definition was properly loaded.',
    'ACTIVE = The high-level unit activation state, i.e. generalization of SUB.',
    'SUB    = The low-level unit activation state, values depend on unit type.',
    `${units.length} loaded units listed.${all ? '' : ' Pass --all to see loaded but inactive units, too.'}`,
    "To show all installed unit files use 'systemctl list-unit-files'.",
  );
  return lines.join('\n');
}

export function formatListJobs(jobs: readonly JobInfo[]): string {
  if (jobs.length === 0) return 'No jobs running.';
  const rows = jobs.map((j) => [String(j.id), j.unit, j.type, j.state]);
  const lines = formatTable(['JOB', 'UNIT', 'TYPE', 'STATE'], rows);
  lines.push('', `${jobs.length} jobs listed.`);
  return lines.join('\n');
}
