// systemd.time(7) time spans: parse as systemd's parse_time() and print as format_timespan().
import { USEC_INFINITY, type Usec } from '../../common/clock.js';

const USEC_PER_SEC = 1_000_000;
const USEC_PER_MINUTE = 60 * USEC_PER_SEC;
const USEC_PER_HOUR = 60 * USEC_PER_MINUTE;
const USEC_PER_DAY = 24 * USEC_PER_HOUR;
const USEC_PER_WEEK = 7 * USEC_PER_DAY;
const USEC_PER_MONTH = 2_629_800 * USEC_PER_SEC;
const USEC_PER_YEAR = 31_557_600 * USEC_PER_SEC;
/** systemd's usec_t is 64-bit with UINT64_MAX as infinity; anything at or above that is out of range. */
const USEC_LIMIT = 2 ** 64 - 1;
const LLONG_MAX = 2 ** 63 - 1;

/** extract_multiplier()'s table: the first prefix that matches wins, so the order matters. */
const MULTIPLIERS: readonly (readonly [string, number])[] = [
  ['seconds', USEC_PER_SEC], ['second', USEC_PER_SEC], ['sec', USEC_PER_SEC], ['s', USEC_PER_SEC],
  ['minutes', USEC_PER_MINUTE], ['minute', USEC_PER_MINUTE], ['min', USEC_PER_MINUTE],
  ['months', USEC_PER_MONTH], ['month', USEC_PER_MONTH], ['M', USEC_PER_MONTH],
  ['msec', 1000], ['ms', 1000], ['m', USEC_PER_MINUTE],
  ['hours', USEC_PER_HOUR], ['hour', USEC_PER_HOUR], ['hr', USEC_PER_HOUR], ['h', USEC_PER_HOUR],
  ['days', USEC_PER_DAY], ['day', USEC_PER_DAY], ['d', USEC_PER_DAY],
  ['weeks', USEC_PER_WEEK], ['week', USEC_PER_WEEK], ['w', USEC_PER_WEEK],
  ['years', USEC_PER_YEAR], ['year', USEC_PER_YEAR], ['y', USEC_PER_YEAR],
  ['usec', 1], ['us', 1], ['\u03bcs', 1], ['\u00b5s', 1],
];

const WHITESPACE = /^[ \t\n\r]*/;
const skipWhitespace = (s: string, i: number): number => i + (WHITESPACE.exec(s.slice(i))?.[0].length ?? 0);

function extractMultiplier(s: string, i: number): { end: number; usec: number } | undefined {
  for (const [suffix, usec] of MULTIPLIERS) if (s.startsWith(suffix, i)) return { end: i + suffix.length, usec };
  return undefined;
}

/**
 * "5min 20s", "1h30m", "100ms", "2.5s", "infinity"; a bare number counts in `defaultUnitUsec`
 * (seconds unless given). undefined when invalid or out of range, as parse_time() refuses it.
 */
export function parseTimespan(s: string, defaultUnitUsec: Usec = USEC_PER_SEC): Usec | undefined {
  let i = skipWhitespace(s, 0);
  if (s.startsWith('infinity', i)) return skipWhitespace(s, i + 8) === s.length ? USEC_INFINITY : undefined;
  let total = 0;
  let something = false;
  for (;;) {
    i = skipWhitespace(s, i);
    if (i === s.length) return something ? total : undefined;
    // strtoll() accepts a "+" sign; "-" is refused outright (even "-0").
    const number = /^\+?([0-9]*)/.exec(s.slice(i));
    const digits = number?.[1] ?? '';
    if (s[i] === '-') return undefined;
    const afterInteger = i + (number?.[0].length ?? 0);
    let fraction: string | undefined;
    let p: number;
    if (s[afterInteger] === '.' && (digits !== '' || s[i] !== '+')) {
      fraction = /^[0-9]*/.exec(s.slice(afterInteger + 1))?.[0] ?? '';
      p = afterInteger + 1 + fraction.length;
    } else if (digits === '') {
      return undefined;
    } else {
      p = afterInteger;
    }
    const unit = extractMultiplier(s, skipWhitespace(s, p));
    const multiplier = unit?.usec ?? defaultUnitUsec;
    const next = unit?.end ?? skipWhitespace(s, p);
    // "12.34.56" is refused, "12.34 .56" and "12.34s.56" are not.
    if (next === p && p < s.length) return undefined;
    i = next;
    const whole = Number(digits === '' ? '0' : digits);
    // strtoll() overflows past LLONG_MAX; the product must stay below USEC_INFINITY.
    if (whole > LLONG_MAX || whole >= Math.floor(USEC_LIMIT / multiplier)) return undefined;
    total += whole * multiplier;
    something = true;
    if (fraction !== undefined) {
      if (fraction === '') return undefined; // "3.", "3.sec", "0.-0"
      let m = Math.floor(multiplier / 10);
      for (const d of fraction) {
        total += Number(d) * m;
        m = Math.floor(m / 10);
      }
    }
    if (total >= USEC_LIMIT) return undefined;
  }
}

/** format_timespan()'s table, largest unit first. */
const FORMAT_UNITS: readonly (readonly [string, number])[] = [
  ['y', USEC_PER_YEAR], ['month', USEC_PER_MONTH], ['w', USEC_PER_WEEK], ['d', USEC_PER_DAY],
  ['h', USEC_PER_HOUR], ['min', USEC_PER_MINUTE], ['s', USEC_PER_SEC], ['ms', 1000], ['us', 1],
];

const decimalDigitsOf = (n: number): number => {
  let j = 0;
  for (let c = n; c > 1; c = Math.floor(c / 10)) j++;
  return j;
};

/**
 * As format_timespan(): "5min 20s", "1h 30min", "100ms", "1.500000s", "infinity", "0".
 * `accuracyUsec` drops smaller parts as systemd does (0 or 1: exact, as `systemctl show`).
 */
export function formatTimespan(usec: Usec, accuracyUsec: Usec = 1): string {
  if (!Number.isFinite(usec) || usec >= USEC_LIMIT) return 'infinity';
  let t = Math.floor(usec);
  if (t <= 0) return '0';
  const parts: string[] = [];
  for (const [suffix, unit] of FORMAT_UNITS) {
    if (t <= 0) break;
    if (t < accuracyUsec && parts.length > 0) break;
    if (t < unit) continue;
    const a = Math.floor(t / unit);
    let b = t % unit;
    // Below a minute a remainder is shown in dot notation, cut to the accuracy.
    if (t < USEC_PER_MINUTE && b > 0) {
      let j = decimalDigitsOf(unit);
      for (let c = accuracyUsec; c > 1; c = Math.floor(c / 10)) {
        b = Math.floor(b / 10);
        j--;
      }
      if (j > 0) {
        parts.push(`${a}.${String(b).padStart(j, '0')}${suffix}`);
        t = 0;
        continue;
      }
    }
    parts.push(`${a}${suffix}`);
    t = b;
  }
  return parts.join(' ');
}
