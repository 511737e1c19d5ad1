// Broken-down time in UTC, the local zone or a tz database zone (Intl), with glibc's mktime()
// normalization: what calendar events compute their next elapse in (systemd.time(7)).

/** struct tm with a full year and a 0-based month; seconds are whole. */
export interface BrokenDown {
  year: number;
  mon: number;
  mday: number;
  hour: number;
  min: number;
  sec: number;
}

export interface Zone {
  /** Seconds east of UTC at the instant `tSec`. */
  offsetSec(tSec: number): number;
}

export const UTC_ZONE: Zone = { offsetSec: () => 0 };

/** The process's zone (TZ, else /etc/localtime), as the C library's localtime() sees it. */
export const LOCAL_ZONE: Zone = { offsetSec: (tSec) => -new Date(tSec * 1000).getTimezoneOffset() * 60 };

const zones = new Map<string, Zone>();

/** systemd's timezone_is_valid() syntax: path components of letters, digits, "_", "+", "-". */
const ZONE_NAME = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;

/** A zone of the tz database by name ("Europe/Berlin"), or undefined if Intl does not know it. */
export function namedZone(name: string): Zone | undefined {
  const known = zones.get(name);
  if (known) return known;
  if (!ZONE_NAME.test(name)) return undefined;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  // Intl matches names case-insensitively; the tz database (a directory of files) does not.
  const resolved = format.resolvedOptions().timeZone;
  if (resolved.toLowerCase() === name.toLowerCase() && resolved !== name) return undefined;
  const zone: Zone = {
    offsetSec(tSec) {
      const parts: Record<string, number> = {};
      for (const p of format.formatToParts(new Date(tSec * 1000))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
      const wall = Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0) / 1000;
      return wall - Math.floor(tSec);
    },
  };
  zones.set(name, zone);
  return zone;
}

/** "Wall clock read as if it were UTC", with carries (month 12 → next year, day 32 → next month). */
const wallSeconds = (tm: BrokenDown): number => {
  const d = new Date(0);
  d.setUTCFullYear(tm.year, tm.mon, tm.mday);
  d.setUTCHours(tm.hour, tm.min, tm.sec, 0);
  return d.getTime() / 1000;
};

/** localtime_r()/gmtime_r(). */
export function breakDown(tSec: number, zone: Zone): BrokenDown & { wday: number } {
  const d = new Date((tSec + zone.offsetSec(tSec)) * 1000);
  return {
    year: d.getUTCFullYear(),
    mon: d.getUTCMonth(),
    mday: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    wday: d.getUTCDay(),
  };
}

/**
 * mktime()/timegm() with tm_isdst=-1: the instant of that wall time, and `tm` rewritten normalized.
 * A wall time inside a spring-forward gap takes the offset from before the gap, as glibc does.
 */
export function makeTime(tm: BrokenDown, zone: Zone): number {
  const wall = wallSeconds(tm);
  const first = zone.offsetSec(wall);
  let t = wall - first;
  const second = zone.offsetSec(t);
  if (second !== first) {
    t = wall - second;
    if (zone.offsetSec(t) !== second) t = wall - Math.min(first, second);
  }
  Object.assign(tm, breakDown(t, zone));
  return t;
}
