// `systemctl list-timers` (systemctl-list-units.c output_timers_list): NEXT LEFT LAST PASSED UNIT ACTIVATES.
import { formatRelative, formatTimestamp } from '../../common/timestamp.js';
import type { UnitInfo } from '../../protocol/unit-info.js';
import { formatTable } from './table.js';

const property = (info: UnitInfo, key: string): string => info.properties.find(([k]) => k === key)?.[1] ?? '';

/** Soonest first, timers that will not elapse last, then by name (timer_info_compare()). */
const order = (a: UnitInfo, b: UnitInfo): number =>
  (a.nextElapseTime ?? Infinity) - (b.nextElapseTime ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const activates = (t: UnitInfo): string[] => property(t, 'Triggers').split(' ').filter(Boolean);

export function formatListTimers(timers: readonly UnitInfo[], all: boolean, nowMs: number): string {
  const when = (ms: number | undefined) => (ms === undefined ? ['-', '-'] : [formatTimestamp(ms), formatRelative(nowMs, ms)]);
  const rows = [...timers].sort(order).map((t) => [...when(t.nextElapseTime), ...when(t.lastTriggerTime), t.id, activates(t)[0] ?? '']);
  const lines = [...formatTable(['NEXT', 'LEFT', 'LAST', 'PASSED', 'UNIT', 'ACTIVATES'], rows), '', `${timers.length} timers listed.`];
  if (!all) lines.push('Pass --all to see loaded but inactive timers, too.');
  return lines.join('\n');
}

/**
 * `list-timers --json`, as systemd 252 prints it (checked through the oracle):
 * `[{"next":1796612400000000,"left":1796612400000000,"last":0,"passed":0,"unit":"backup.timer","activates":"backup.service"}]`:
 * timestamps as µs since the epoch (LEFT and PASSED carry the same instants as NEXT and LAST, 0 when
 * there is none), ACTIVATES the unit's name.
 */
export function listTimersJson(timers: readonly UnitInfo[]) {
  const usec = (ms: number | undefined) => (ms === undefined ? 0 : Math.round(ms * 1000));
  return [...timers].sort(order).map((t) => ({ next: usec(t.nextElapseTime), left: usec(t.nextElapseTime), last: usec(t.lastTriggerTime), passed: usec(t.lastTriggerTime), unit: t.id, activates: activates(t)[0] ?? null }));
}
