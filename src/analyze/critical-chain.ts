// `analyze critical-chain [UNIT...]`: the chain of After= dependencies that made each unit wait,
// printed as systemd-analyze critical-chain prints it (analyze-critical-chain.c).
import type { SystemSnapshot } from '../protocol/analysis.js';
import { formatTimespan } from '../unit/values/timespan.js';
import { finishTime, timesByUnit, type UnitTimes } from './unit-times.js';

const USEC_PER_MSEC = 1000;
const span = (usec: number) => formatTimespan(usec, USEC_PER_MSEC);

export const CRITICAL_CHAIN_HEADER =
  'The time when unit became active or started is printed after the "@" character.\nThe time the unit took to start is printed after the "+" character.\n';

export const BOOT_NOT_FINISHED =
  "Bootup is not yet finished (org.freedesktop.systemd1.Manager.FinishTimestampMonotonic=0).\nPlease try again later.\nHint: Use 'systemctl list-jobs' to see active jobs";

/** The chains of `units` (default: the default target); undefined while the first jobs still run. */
export function formatCriticalChain(snapshot: SystemSnapshot, units: readonly string[]): string | undefined {
  const finish = finishTime(snapshot);
  if (finish === 0) return undefined;
  const times = timesByUnit(snapshot);
  const after = new Map(snapshot.units.map((u) => [u.id, u.deps['After'] ?? []]));
  const lines: string[] = [CRITICAL_CHAIN_HEADER];
  for (const name of units.length > 0 ? units : [snapshot.defaultTarget]) {
    const t = times.get(name);
    if (t) lines.push(t.time > 0 ? `${name} +${span(t.time)}` : t.activated > 0 ? `${name} @${span(t.activated)}` : name);
    printDeps(name, 0, 0, { times, after, finish, lines, visited: [] });
  }
  return lines.join('\n');
}

interface Walk {
  readonly times: ReadonlyMap<string, UnitTimes>;
  readonly after: ReadonlyMap<string, readonly string[]>;
  readonly finish: number;
  readonly lines: string[];
  readonly visited: string[];
}

/** list_dependencies_one(): the After= units that became active last (before startup finished), recursively. */
function printDeps(name: string, level: number, branches: number, w: Walk): void {
  w.visited.push(name);
  const activated = (u: string) => w.times.get(u)?.activated ?? 0;
  const deps = [...(w.after.get(name) ?? [])].sort((a, b) => activated(b) - activated(a));
  const eligible = deps.filter((d) => activated(d) > 0 && activated(d) <= w.finish);
  const longest = eligible.length > 0 ? activated(eligible[0] as string) : 0;
  if (longest === 0) return;
  const chosen = eligible.filter((d) => activated(d) === longest);
  chosen.forEach((dep, i) => {
    const last = i === chosen.length - 1;
    w.lines.push(`${prefix(level, branches, last)}${describe(dep, w.times.get(dep))}`);
    const inner = (branches << 1) | (last ? 0 : 1);
    if (w.visited.includes(dep)) {
      w.lines.push(`${prefix(level + 1, inner, true)}...`);
      return;
    }
    printDeps(dep, level + 1, inner, w);
  });
}

function prefix(level: number, branches: number, last: boolean): string {
  let out = '';
  for (let i = level; i !== 0; i--) out += branches & (1 << (i - 1)) ? '│ ' : '  ';
  return `${out}${last ? '└─' : '├─'}`;
}

function describe(name: string, t: UnitTimes | undefined): string {
  if (!t) return name;
  if (t.time > 0) return `${name} @${span(t.activated)} +${span(t.time)}`;
  if (t.activated > 0) return `${name} @${span(t.activated)}`;
  return name;
}
