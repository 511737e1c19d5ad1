// The next elapse of a calendar event after a given instant (calendarspec.c find_next()), in the
// event's zone: UTC, a tz database zone, or the local one.
import type { CalendarComponent, CalendarSpec } from './calendar.js';
import { breakDown, LOCAL_ZONE, makeTime, namedZone, UTC_ZONE, type BrokenDown, type Zone } from './time-zone.js';

const USEC_PER_SEC = 1_000_000;
const MAX_YEAR = 2199;
/** USEC_TIMESTAMP_FORMATTABLE_MAX: the end of year 9999. */
const USEC_TIMESTAMP_FORMATTABLE_MAX = 253_402_214_399_999_999;

export function zoneOf(spec: CalendarSpec): Zone {
  if (spec.utc) return UTC_ZONE;
  return (spec.timezone !== undefined ? namedZone(spec.timezone) : undefined) ?? LOCAL_ZONE;
}

/** find_end_of_month(): the day that is `day` days before the month's end (0 = the last day); -1 if none. */
function endOfMonth(tm: BrokenDown, zone: Zone, day: number): number {
  const t: BrokenDown = { ...tm, mon: tm.mon + 1, mday: 1 - day };
  makeTime(t, zone);
  return t.mon === tm.mon ? t.mday : -1;
}

/**
 * find_matching_component(): the smallest value ≥ `value` the chain allows. Returns undefined
 * when none, else the value and whether it moved.
 */
function matching(spec: CalendarSpec, chain: readonly CalendarComponent[], isDay: boolean, tm: BrokenDown, value: number): number | undefined {
  if (chain.length === 0) return value;
  let best: number | undefined;
  for (const c of chain) {
    let { start, stop } = c;
    if (spec.endOfMonth && isDay) {
      start = endOfMonth(tm, zoneOf(spec), start);
      stop = endOfMonth(tm, zoneOf(spec), stop);
      if (stop > 0) [start, stop] = [stop, start];
    }
    if (start >= value) {
      if (best === undefined || start < best) best = start;
    } else if (c.repeat > 0) {
      const k = start + c.repeat * Math.ceil((value - start) / c.repeat);
      if ((best === undefined || k < best) && (stop < 0 || k <= stop)) best = k;
    }
  }
  return best;
}

const FIELDS = ['year', 'mon', 'mday', 'hour', 'min', 'sec'] as const;

/**
 * tm_within_bounds(): 1 if `tm` is a real time, 0 if mktime() had to normalize it (then `tm`
 * becomes the normalized time with the next smaller field reset), -1 beyond MAX_YEAR or backwards.
 */
function withinBounds(tm: BrokenDown, zone: Zone): number {
  if (tm.year > MAX_YEAR) return -1;
  const t: BrokenDown = { ...tm };
  makeTime(t, zone);
  const reset: Partial<BrokenDown>[] = [{ mon: 0 }, { mday: 1 }, { hour: 0 }, { min: 0 }, { sec: 0 }, {}];
  for (const [i, f] of FIELDS.entries()) {
    if (t[f] === tm[f]) continue;
    if (t[f] < tm[f]) return -1; // refuse to go backwards
    Object.assign(tm, t, reset[i]);
    return 0;
  }
  return 1;
}

type Step = 'found' | 'again' | 'never';

/** find_next(): walks year → month → day → weekday → hour → minute → second until all match. */
function findNext(spec: CalendarSpec, zone: Zone, start: BrokenDown, startUsec: number): { tm: BrokenDown; usec: number } | undefined {
  const c: BrokenDown = { ...start };
  let usec = startUsec;
  const clear = (from: 'mon' | 'mday' | 'hour' | 'min' | 'sec') => {
    const order = ['mon', 'mday', 'hour', 'min', 'sec'] as const;
    for (const f of order.slice(order.indexOf(from))) c[f] = f === 'mday' ? 1 : 0;
    usec = 0;
  };
  /** One field: match it; on a move reset the smaller ones; when impossible, carry into the larger one. */
  const field = (chain: readonly CalendarComponent[], f: 'mon' | 'mday' | 'hour' | 'min', offset: number, carry: () => void): Step | undefined => {
    const found = matching(spec, chain, f === 'mday', c, c[f] + offset);
    if (found !== undefined && found !== c[f] + offset) {
      c[f] = found - offset;
      clear(({ mon: 'mday', mday: 'hour', hour: 'min', min: 'sec' } as const)[f]);
    }
    const r = found === undefined ? -1 : withinBounds(c, zone);
    if (r < 0) {
      carry();
      return 'again';
    }
    return r === 0 ? 'again' : undefined;
  };
  for (;;) {
    makeTime(c, zone);
    const year = matching(spec, spec.year, false, c, c.year);
    if (year === undefined) return undefined;
    if (year !== c.year) {
      c.year = year;
      clear('mon');
    }
    if (withinBounds(c, zone) <= 0) return undefined;
    if (field(spec.month, 'mon', 1, () => ((c.year += 1), clear('mon')))) continue;
    if (field(spec.day, 'mday', 0, () => ((c.mon += 1), clear('mday')))) continue;
    if (!matchesWeekday(spec.weekdays, c, zone)) {
      c.mday++;
      clear('hour');
      continue;
    }
    if (field(spec.hour, 'hour', 0, () => ((c.mday += 1), clear('hour')))) continue;
    if (field(spec.minute, 'min', 0, () => ((c.hour += 1), clear('min')))) continue;
    const found = matching(spec, spec.usec, false, c, c.sec * USEC_PER_SEC + usec);
    if (found !== undefined) {
      c.sec = Math.floor(found / USEC_PER_SEC);
      usec = found % USEC_PER_SEC;
    }
    const r = found === undefined ? -1 : withinBounds(c, zone);
    if (r < 0) {
      c.min++;
      c.sec = 0;
      usec = 0;
      continue;
    }
    if (r === 0) continue;
    return { tm: c, usec };
  }
}

function matchesWeekday(bits: number, tm: BrokenDown, zone: Zone): boolean {
  if (bits < 0) return true;
  const wday = breakDown(makeTime({ ...tm }, zone), zone).wday;
  return (bits & (1 << (wday === 0 ? 6 : wday - 1))) !== 0;
}

/** calendar_spec_next_usec(): the first elapse strictly after `afterUsec` (µs since the epoch), or undefined if never. */
export function nextElapse(spec: CalendarSpec, afterUsec: number): number | undefined {
  if (afterUsec > USEC_TIMESTAMP_FORMATTABLE_MAX) return undefined;
  const zone = zoneOf(spec);
  const from = afterUsec + 1;
  const tSec = Math.floor(from / USEC_PER_SEC);
  const found = findNext(spec, zone, breakDown(tSec, zone), from % USEC_PER_SEC);
  if (found === undefined) return undefined;
  return makeTime(found.tm, zone) * USEC_PER_SEC + found.usec;
}
