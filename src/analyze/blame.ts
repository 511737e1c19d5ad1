// `analyze blame`: units by the time their start took, longest first (systemd-analyze blame).
import type { SystemSnapshot } from '../protocol/analysis.js';
import { formatTimespan } from '../unit/values/timespan.js';
import { timesByUnit } from './unit-times.js';

const USEC_PER_MSEC = 1000;

/** One line per unit that took time to start: the time right-aligned, then the name. */
export function formatBlame(snapshot: SystemSnapshot): string {
  const rows = [...timesByUnit(snapshot).values()]
    .filter((t) => t.time > 0)
    .sort((a, b) => b.time - a.time || (a.name < b.name ? -1 : 1))
    .map((t) => [formatTimespan(t.time, USEC_PER_MSEC), t.name] as const);
  const width = Math.max(0, ...rows.map(([time]) => time.length));
  return rows.map(([time, name]) => `${time.padStart(width)} ${name}`).join('\n');
}
