// `systemctl show` properties of a timer (org.freedesktop.systemd1.Timer), in systemd 252's order and formats.
import { formatTimestamp } from '../../common/timestamp.js';
import type { TimerSection } from '../../unit/model.js';
import { formatBoolean } from '../../unit/values/boolean.js';
import { formatCalendar } from '../../unit/values/calendar.js';
import { formatTimespan } from '../../unit/values/timespan.js';
import type { Property } from '../properties.js';
import type { DualTimestamp } from './timer-schedule.js';

export interface TimerRuntime {
  readonly unit: string;
  readonly perValue: readonly (number | undefined)[];
  readonly nextMonotonic: number | undefined;
  readonly nextRealtime: number | undefined;
  readonly lastTrigger: DualTimestamp;
  readonly result: string;
}

const stamp = (usec: number | undefined): string => (usec !== undefined && usec > 0 ? formatTimestamp(Math.floor(usec / 1000)) : '');
/** OnActiveSec= is OnActiveUSec in the D-Bus API. */
const busName = (base: string): string => base.replace(/Sec$/, 'USec');

export function timerProperties(t: TimerSection, r: TimerRuntime): Property[] {
  const monotonic: Property[] = [];
  const calendar: Property[] = [];
  // systemd keeps the values in a list it prepends to: the last one declared comes first.
  for (let i = t.values.length - 1; i >= 0; i--) {
    const v = t.values[i];
    if (v === undefined) continue;
    const next = r.perValue[i] ?? 0;
    if (v.base === 'OnCalendar') calendar.push(['TimersCalendar', `{ OnCalendar=${formatCalendar(v.calendar)} ; next_elapse=${stamp(next) || 'n/a'} }`]);
    else monotonic.push(['TimersMonotonic', `{ ${busName(v.base)}=${formatTimespan(v.usec)} ; next_elapse=${formatTimespan(next)} }`]);
  }
  return [
    ['Unit', r.unit],
    ...monotonic,
    ...calendar,
    ['OnClockChange', formatBoolean(t.onClockChange)],
    ['OnTimezoneChange', formatBoolean(t.onTimezoneChange)],
    ['NextElapseUSecRealtime', stamp(r.nextRealtime)],
    ['NextElapseUSecMonotonic', r.nextMonotonic === undefined ? 'infinity' : formatTimespan(r.nextMonotonic)],
    ['LastTriggerUSec', stamp(r.lastTrigger.realtime)],
    ['LastTriggerUSecMonotonic', formatTimespan(r.lastTrigger.monotonic)],
    ['Result', r.result],
    ['AccuracyUSec', formatTimespan(t.accuracyUsec)],
    ['RandomizedDelayUSec', formatTimespan(t.randomizedDelayUsec)],
    ['FixedRandomDelay', formatBoolean(t.fixedRandomDelay)],
    ['Persistent', formatBoolean(t.persistent)],
    ['WakeSystem', formatBoolean(t.wakeSystem)],
    ['RemainAfterElapse', formatBoolean(t.remainAfterElapse)],
  ];
}
