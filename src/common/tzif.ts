// The tz database's binary zone files (TZif, RFC 8536) as far as the C library uses them to name local time: the
// abbreviation in force at an instant ("CET", "EDT", "-03"), which strftime's %Z and systemd's timestamps print.

export interface ZoneNames {
  /** Transition instants in seconds, ascending, with the index of the local time type each one starts. */
  readonly transitions: readonly number[];
  readonly typeOf: readonly number[];
  readonly types: readonly { readonly isDst: boolean; readonly abbreviation: string }[];
  /** The footer's POSIX TZ rule (version 2+), which governs the time after the last transition. */
  readonly rule: PosixRule | undefined;
}

export interface PosixRule {
  readonly std: { readonly name: string; readonly offsetSec: number };
  readonly dst: { readonly name: string; readonly offsetSec: number } | undefined;
}

const HEADER = 44;

/** The counts of one data block's header: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt. */
const counts = (b: Buffer, at: number): number[] => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 20 + 4 * i));

/** Parses a TZif file; undefined if it is not one. */
export function parseTzif(b: Buffer): ZoneNames | undefined {
  try {
    if (b.length < HEADER || b.toString('latin1', 0, 4) !== 'TZif') return undefined;
    let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(b, 0) as [number, number, number, number, number, number];
    let at = 0;
    let timeSize = 4;
    // Version 2+ repeats the data with 64-bit times after the version 1 block: read that one.
    if (b[4] !== 0) {
      at = HEADER + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
      [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(b, at) as [number, number, number, number, number, number];
      timeSize = 8;
    }
    let p = at + HEADER;
    const transitions = Array.from({ length: timecnt }, (_, i) => (timeSize === 8 ? Number(b.readBigInt64BE(p + 8 * i)) : b.readInt32BE(p + 4 * i)));
    p += timecnt * timeSize;
    const typeOf = Array.from(b.subarray(p, p + timecnt));
    p += timecnt;
    const chars = b.toString('latin1', p + typecnt * 6, p + typecnt * 6 + charcnt);
    const types = Array.from({ length: typecnt }, (_, i) => {
      const idx = b[p + 6 * i + 5] ?? 0;
      return { isDst: b[p + 6 * i + 4] === 1, abbreviation: chars.slice(idx, chars.indexOf('\0', idx) >>> 0) };
    });
    p += typecnt * 6 + charcnt + leap * (timeSize + 4) + isstd + isut;
    const footer = timeSize === 8 && b[p] === 0x0a ? b.toString('latin1', p + 1, b.indexOf(0x0a, p + 1)) : '';
    return { transitions, typeOf, types, rule: parsePosixTz(footer) };
  } catch {
    return undefined;
  }
}

/** "CET-1CEST,M3.5.0,M10.5.0/3", "<-03>3", "EST5EDT,...": the names and offsets (east of UTC) of a POSIX TZ string. */
export function parsePosixTz(text: string): PosixRule | undefined {
  const m = /^(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,3}(?::\d\d){0,2})(?:(<[^>]+>|[A-Za-z]{3,})([+-]?\d{1,3}(?::\d\d){0,2})?)?(?:,|$)/.exec(text);
  if (m === null) return undefined;
  const name = (s: string) => s.replace(/^<(.*)>$/, '$1');
  // POSIX offsets count west of UTC: "CET-1" is one hour east.
  const east = (s: string) => {
    const [h = 0, min = 0, sec = 0] = s.replace(/^[+-]/, '').split(':').map(Number);
    const seconds = h * 3600 + min * 60 + sec;
    return seconds === 0 || s.startsWith('-') ? seconds : -seconds;
  };
  const std = { name: name(m[1]!), offsetSec: east(m[2]!) };
  const dst = m[3] === undefined ? undefined : { name: name(m[3]), offsetSec: m[4] === undefined ? std.offsetSec + 3600 : east(m[4]) };
  return { std, dst };
}

/**
 * The abbreviation at `tSec`, as glibc's __tzfile_compute() picks it: before the first transition the first standard
 * time type; after the last one the footer rule (standard or daylight, told apart by `offsetSec`, the zone's offset
 * then); in between the type the latest transition started.
 */
export function abbreviationAt(zone: ZoneNames, tSec: number, offsetSec: number): string | undefined {
  const { transitions, typeOf, types, rule } = zone;
  if (transitions.length === 0 || tSec < transitions[0]!) return (types.find((t) => !t.isDst) ?? types[0])?.abbreviation;
  if (tSec >= transitions[transitions.length - 1]! && rule !== undefined) {
    return rule.dst !== undefined && offsetSec === rule.dst.offsetSec && offsetSec !== rule.std.offsetSec ? rule.dst.name : rule.std.name;
  }
  let lo = 0;
  let hi = transitions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (transitions[mid]! <= tSec) lo = mid;
    else hi = mid - 1;
  }
  return types[typeOf[lo]!]?.abbreviation;
}
