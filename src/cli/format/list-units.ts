// `systemctl list-units` and `systemctl list-jobs` tables (systemctl-list-units.c, systemctl-list-jobs.c).
import type { JobInfo, UnitInfo } from '../../protocol/unit-info.js';
import { formatTable } from './table.js';
import { formatTimespan } from '../../unit/values/timespan.js';

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

/** How long a job has been running, to the second as systemd's console status says it; "-" while it waits. */
export const jobRunTime = (job: JobInfo, nowMs: number): string =>
  job.state === 'running' && job.runningSince ? formatTimespan(Math.max(0, nowMs - job.runningSince) * 1000, 1_000_000) : '-';

/** systemctl's four columns, then TIME: how long each running job has run (after the others, so scripts reading them are unaffected). */
export function formatListJobs(jobs: readonly JobInfo[], nowMs: number): string {
  if (jobs.length === 0) return 'No jobs running.';
  const rows = jobs.map((j) => [String(j.id), j.unit, j.type, j.state, jobRunTime(j, nowMs)]);
  const lines = formatTable(['JOB', 'UNIT', 'TYPE', 'STATE', 'TIME'], rows);
  lines.push('', `${jobs.length} jobs listed.`);
  return lines.join('\n');
}
