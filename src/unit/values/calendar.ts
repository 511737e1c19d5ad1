// systemd.time(7) calendar events: parse and print the normalized form as systemd 252's
// calendarspec.c does ("Mon..Fri *-*-* 09:00:00", "*-*~01", "daily", "12:00 Europe/Berlin").
import { namedZone } from './time-zone.js';

const USEC_PER_SEC = 1_000_000;
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;
const ALL_WEEKDAYS = 127;
/** CALENDARSPEC_COMPONENTS_MAX: longer comma lists are refused. */
const COMPONENTS_MAX = 240;
const INT_MAX = 2 ** 31 - 1;

/** One comma-separated element: start, optional stop ("..") and repetition ("/"); stop -1 when none. */
export interface CalendarComponent {
  readonly start: number;
  readonly stop: number;
  readonly repeat: number;
}

/** An empty chain means "*" (any value). Seconds are counted in microseconds. */
export interface CalendarSpec {
  /** Bit 0 = Monday … bit 6 = Sunday; -1 = any day. */
  readonly weekdays: number;
  readonly year: readonly CalendarComponent[];
  readonly month: readonly CalendarComponent[];
  /** With endOfMonth, days count back from the last day ("~"). */
  readonly day: readonly CalendarComponent[];
  readonly endOfMonth: boolean;
  readonly hour: readonly CalendarComponent[];
  readonly minute: readonly CalendarComponent[];
  readonly usec: readonly CalendarComponent[];
  readonly utc: boolean;
  /** A tz database zone name ("Europe/Berlin"); undefined for UTC or the local zone. */
  readonly timezone: string | undefined;
}

type Draft = { -readonly [K in keyof CalendarSpec]: CalendarSpec[K] extends readonly CalendarComponent[] ? CalendarComponent[] | undefined : CalendarSpec[K] };

/** The errno texts calendar_spec_from_string() fails with. */
const EINVAL = 'Invalid argument';
const ERANGE = 'Numerical result out of range';
const ENOBUFS = 'No buffer space available';

class Invalid extends Error {}
const fail = (why: string = EINVAL): never => {
  throw new Invalid(why);
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** A cursor over the text, like the `const char **p` the C parser advances. */
class Cursor {
  constructor(
    readonly s: string,
    public i = 0,
  ) {}
  get c(): string {
    return this.s[this.i] ?? '';
  }
  at(k: number): string {
    return this.s[this.i + k] ?? '';
  }
  get end(): boolean {
    return this.i >= this.s.length;
  }
  skipSpaces(): void {
    while (this.c === ' ') this.i++;
  }
}

const WEEKDAY_NAMES: readonly (readonly [string, number])[] = [
  ['Monday', 0], ['Mon', 0], ['Tuesday', 1], ['Tue', 1], ['Wednesday', 2], ['Wed', 2], ['Thursday', 3], ['Thu', 3],
  ['Friday', 4], ['Fri', 4], ['Saturday', 5], ['Sat', 5], ['Sunday', 6], ['Sun', 6],
];

/** parse_weekdays(): "Mon,Wed..Fri " before the date; nothing at all is fine. */
function parseWeekdays(p: Cursor, spec: Draft): void {
  let rangeFrom = -1;
  let first = true;
  for (;;) {
    const rest = p.s.slice(p.i).toLowerCase();
    const hit = WEEKDAY_NAMES.find(([name]) => rest.startsWith(name.toLowerCase()));
    if (hit === undefined) {
      if (first) return;
      return fail();
    }
    const [name, nr] = hit;
    if (!['', '-', '.', ',', ' '].includes(p.at(name.length))) fail();
    spec.weekdays = (spec.weekdays < 0 ? 0 : spec.weekdays) | (1 << nr);
    if (rangeFrom >= 0) {
      if (rangeFrom > nr) fail();
      for (let j = rangeFrom + 1; j < nr; j++) spec.weekdays |= 1 << j;
    }
    p.i += name.length;
    if (p.end) return;
    if (p.c === ' ') return p.skipSpaces();
    if (p.c === '.') {
      if (rangeFrom >= 0 || p.at(1) !== '.') fail();
      rangeFrom = nr;
      p.i += 2;
    } else if (p.c === '-') {
      // "-" ranges are kept for backwards compatibility.
      if (rangeFrom >= 0) fail();
      rangeFrom = nr;
      p.i += 1;
    } else if (p.c === ',') {
      rangeFrom = -1;
      p.i += 1;
    }
    // A trailing comma is fine, an open range is not.
    if (p.end || p.c === ' ') {
      p.skipSpaces();
      if (rangeFrom >= 0) fail();
      return;
    }
    first = false;
  }
}

/** parse_fractional_part_u(): six digits, rounded by the seventh, the rest skipped. */
function fraction(p: Cursor): number {
  let val = 0;
  let i = 0;
  for (; i < 6; i++, p.i++) {
    if (!isDigit(p.c)) {
      if (i === 0) fail();
      break;
    }
    val = val * 10 + Number(p.c);
  }
  for (; i < 6; i++) val *= 10;
  if (p.c >= '5' && p.c <= '9') val++;
  while (isDigit(p.c)) p.i++;
  return val;
}

/** parse_component_decimal(): digits, and for seconds a fraction ("." but not ".."). */
function decimal(p: Cursor, usec: boolean): number {
  if (!isDigit(p.c)) fail();
  const m = /^[0-9]+/.exec(p.s.slice(p.i)) as RegExpExecArray;
  p.i += m[0].length;
  let value = Number(m[0]);
  if (value > 2 ** 64 - 1) fail(ERANGE);
  if (usec) {
    value *= USEC_PER_SEC;
    if (p.c === '.' && p.at(1) !== '.') {
      p.i++;
      value += fraction(p);
    }
  }
  if (value > INT_MAX) fail(ERANGE);
  return value;
}

/** prepend_component(): "start[..stop][/repeat]" elements separated by commas. */
function parseComponents(p: Cursor, usec: boolean): CalendarComponent[] {
  const out: CalendarComponent[] = [];
  for (;;) {
    if (out.length > COMPONENTS_MAX) fail(ENOBUFS);
    const start = decimal(p, usec);
    let stop = -1;
    let repeat = 0;
    if (p.c === '.' && p.at(1) === '.') {
      p.i += 2;
      stop = decimal(p, usec);
      repeat = usec ? USEC_PER_SEC : 1;
    }
    if (p.c === '/') {
      p.i++;
      repeat = decimal(p, usec);
      if (repeat === 0) fail(ERANGE);
    }
    if (!['', ' ', ',', '-', '~', ':'].includes(p.c)) fail();
    out.push({ start, stop, repeat });
    if (p.c !== ',') return out;
    p.i++;
  }
}

/** parse_chain(): "*" (for seconds: every whole second) or components. */
function parseChain(p: Cursor, usec: boolean): CalendarComponent[] | undefined {
  if (p.c === '*') {
    p.i++;
    return usec ? [{ start: 0, stop: -1, repeat: USEC_PER_SEC }] : undefined;
  }
  return parseComponents(p, usec);
}

const constant = (...values: number[]): CalendarComponent[] => values.map((start) => ({ start, stop: -1, repeat: 0 }));

/** "@SECONDS": that instant, in UTC. */
function fromEpoch(p: Cursor, spec: Draft): void {
  p.i++;
  const m = /^[0-9]+/.exec(p.s.slice(p.i));
  if (m === null) return fail();
  p.i += m[0].length;
  const d = new Date(Number(m[0]) * 1000);
  if (Number.isNaN(d.getTime())) fail(ERANGE);
  spec.utc = true;
  spec.year = constant(d.getUTCFullYear());
  spec.month = constant(d.getUTCMonth() + 1);
  spec.day = constant(d.getUTCDate());
  spec.hour = constant(d.getUTCHours());
  spec.minute = constant(d.getUTCMinutes());
  spec.usec = constant(d.getUTCSeconds() * USEC_PER_SEC);
}

/** parse_date(): "[[Y-]M-]D" with "~" for days from the end; returns true when the time is given too ("@…"). */
function parseDate(p: Cursor, spec: Draft): boolean {
  if (p.end) return false;
  if (p.c === '@') {
    fromEpoch(p, spec);
    return true;
  }
  const t = new Cursor(p.s, p.i);
  const first = parseChain(t, false);
  // A ":" already: this was the time, not a date.
  if (t.end || t.c === ':') return false;
  if (t.c === '~') spec.endOfMonth = true;
  else if (t.c !== '-') fail();
  t.i++;
  const second = parseChain(t, false);
  if (t.end || t.c === ' ') {
    t.skipSpaces();
    p.i = t.i;
    spec.month = first;
    spec.day = second;
    return false;
  }
  if (spec.endOfMonth) fail();
  if (t.c === '~') spec.endOfMonth = true;
  else if (t.c !== '-') fail();
  t.i++;
  const third = parseChain(t, false);
  if (!t.end && t.c !== ' ') fail();
  t.skipSpaces();
  p.i = t.i;
  spec.year = first;
  spec.month = second;
  spec.day = third;
  return false;
}

/** parse_calendar_time(): "H:M[:S]"; nothing means 00:00:00. */
function parseTime(p: Cursor, spec: Draft): void {
  if (p.end) {
    [spec.hour, spec.minute, spec.usec] = [constant(0), constant(0), constant(0)];
    return;
  }
  const hour = parseChain(p, false);
  if (p.c !== ':') fail();
  p.i++;
  const minute = parseChain(p, false);
  let usec: CalendarComponent[] | undefined = constant(0);
  if (!p.end) {
    if (p.c !== ':') fail();
    p.i++;
    usec = parseChain(p, true);
    if (!p.end) fail();
  }
  [spec.hour, spec.minute, spec.usec] = [hour, minute, usec];
}

/** The shorthands of systemd.time(7), as the chains they stand for. */
const SHORTHANDS: Readonly<Record<string, Partial<Draft>>> = {
  minutely: { usec: constant(0) },
  hourly: { minute: constant(0), usec: constant(0) },
  daily: { hour: constant(0), minute: constant(0), usec: constant(0) },
  monthly: { day: constant(1), hour: constant(0), minute: constant(0), usec: constant(0) },
  weekly: { weekdays: 1, hour: constant(0), minute: constant(0), usec: constant(0) },
  yearly: { month: constant(1), day: constant(1), hour: constant(0), minute: constant(0), usec: constant(0) },
  quarterly: { month: constant(1, 4, 7, 10), day: constant(1), hour: constant(0), minute: constant(0), usec: constant(0) },
  semiannually: { month: constant(1, 7), day: constant(1), hour: constant(0), minute: constant(0), usec: constant(0) },
};
const SHORTHAND_ALIASES: Readonly<Record<string, string>> = {
  annually: 'yearly',
  anually: 'yearly', // backwards compatibility
  biannually: 'semiannually',
  'bi-annually': 'semiannually',
  'semi-annually': 'semiannually',
};

function emptyDraft(): Draft {
  return { weekdays: -1, year: undefined, month: undefined, day: undefined, endOfMonth: false, hour: undefined, minute: undefined, usec: undefined, utc: false, timezone: undefined };
}

/** The zone suffix: " UTC", or a tz database name after the last space. Returns the rest. */
function splitZone(text: string, spec: Draft): string {
  if (text.toLowerCase().endsWith(' utc')) {
    spec.utc = true;
    return text.slice(0, -4);
  }
  const space = text.lastIndexOf(' ');
  if (space >= 0 && namedZone(text.slice(space + 1)) !== undefined) {
    spec.timezone = text.slice(space + 1);
    return text.slice(0, space);
  }
  return text;
}

/** calendar_spec_from_string(): the spec, or an error (systemd says "Invalid argument"). */
export function parseCalendar(text: string): { ok: true; value: CalendarSpec } | { ok: false; error: string } {
  const spec = emptyDraft();
  try {
    const rest = splitZone(text, spec);
    if (rest === '') fail();
    const lower = rest.toLowerCase();
    const shorthand = SHORTHANDS[SHORTHAND_ALIASES[lower] ?? lower];
    if (shorthand !== undefined) Object.assign(spec, structuredClone(shorthand));
    else {
      const p = new Cursor(rest);
      parseWeekdays(p, spec);
      if (!parseDate(p, spec)) parseTime(p, spec);
      if (!p.end) fail();
    }
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
  const normalized = normalize(spec);
  return valid(normalized) ? { ok: true, value: normalized } : { ok: false, error: EINVAL };
}

/** normalize_chain(): stops aligned to the repetition, pointless repetitions dropped, sorted, unique. */
function normalizeChain(chain: readonly CalendarComponent[] | undefined): CalendarComponent[] {
  const out = (chain ?? []).map(({ start, stop, repeat }) => {
    if (stop > start && repeat > 0) stop -= (stop - start) % repeat;
    if ((stop > start && stop - start < repeat) || stop === start) return { start, stop: -1, repeat: 0 };
    return { start, stop, repeat };
  });
  out.sort((a, b) => a.start - b.start || a.stop - b.stop || a.repeat - b.repeat);
  return out.filter((c, i) => i === 0 || c.start !== out[i - 1]?.start || c.stop !== out[i - 1]?.stop || c.repeat !== out[i - 1]?.repeat);
}

/** fix_year(): 12 → 2012, 89 → 1989. */
const fixYear = (v: number): number => (v >= 0 && v < 70 ? v + 2000 : v >= 70 && v < 100 ? v + 1900 : v);

function normalize(d: Draft): CalendarSpec {
  const year = (d.year ?? []).map((c) => ({ start: fixYear(c.start), stop: c.stop >= 0 ? fixYear(c.stop) : c.stop, repeat: c.repeat }));
  return {
    weekdays: d.weekdays <= 0 || d.weekdays >= ALL_WEEKDAYS ? -1 : d.weekdays,
    year: normalizeChain(year),
    month: normalizeChain(d.month),
    day: normalizeChain(d.day),
    endOfMonth: d.endOfMonth && d.day !== undefined,
    hour: normalizeChain(d.hour),
    minute: normalizeChain(d.minute),
    usec: normalizeChain(d.usec),
    utc: d.utc || d.timezone === 'UTC',
    timezone: d.timezone === 'UTC' ? undefined : d.timezone,
  };
}

/**
 * chain_valid(): every element within range, and each repetition able to happen at least once.
 * With "~", systemd 252 forbids days more than 28 days from the end of the month, and lowers that
 * limit by three more for each further element of the chain (it subtracts again on every recursion).
 */
function chainValid(chain: readonly CalendarComponent[], from: number, to: number, endOfMonth = false): boolean {
  return chain.every((c, i) => {
    const top = endOfMonth ? to - 3 * (i + 1) : to;
    if (c.start < from || c.start > top || c.repeat > top - from) return false;
    if (c.stop >= 0) return c.stop >= from && c.stop <= top && c.start + c.repeat <= c.stop;
    return endOfMonth ? c.start - c.repeat >= from : c.start + c.repeat <= top;
  });
}

function valid(s: CalendarSpec): boolean {
  return (
    chainValid(s.year, MIN_YEAR, MAX_YEAR) &&
    chainValid(s.month, 1, 12) &&
    chainValid(s.day, 1, 31, s.endOfMonth) &&
    chainValid(s.hour, 0, 23) &&
    chainValid(s.minute, 0, 59) &&
    chainValid(s.usec, 0, 60 * USEC_PER_SEC - 1)
  );
}

const DAY_ABBREVIATIONS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** format_weekdays(): runs of three or more days as "a..b". */
function formatWeekdays(bits: number): string {
  const parts: string[] = [];
  for (let x = 0; x < 7; ) {
    if (!(bits & (1 << x))) {
      x++;
      continue;
    }
    let y = x;
    while (y + 1 < 7 && bits & (1 << (y + 1))) y++;
    const [from, to] = [DAY_ABBREVIATIONS[x] as string, DAY_ABBREVIATIONS[y] as string];
    parts.push(y === x ? from : y === x + 1 ? `${from},${to}` : `${from}..${to}`);
    x = y + 1;
  }
  return parts.join(',');
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const micro = (n: number): string => (n % USEC_PER_SEC > 0 ? `.${pad(n % USEC_PER_SEC, 6)}` : '');

/** format_chain(). */
function formatChain(chain: readonly CalendarComponent[], width: number, usec: boolean): string {
  const d = usec ? USEC_PER_SEC : 1;
  const first = chain[0];
  if (first === undefined) return '*';
  if (usec && chain.length === 1 && first.start === 0 && first.stop === -1 && first.repeat === USEC_PER_SEC) return '*';
  const one = (c: CalendarComponent): string => {
    let out = pad(Math.floor(c.start / d), width) + (usec ? micro(c.start) : '');
    if (c.stop > 0) out += `..${pad(Math.floor(c.stop / d), width)}${usec ? micro(c.stop) : ''}`;
    if (c.repeat > 0 && !(c.stop > 0 && c.repeat === d)) out += `/${Math.floor(c.repeat / d)}`;
    if (usec && c.repeat > 0) out += micro(c.repeat);
    return out;
  };
  return chain.map(one).join(',');
}

/** calendar_spec_to_string(): the normalized form. */
export function formatCalendar(s: CalendarSpec): string {
  const weekdays = s.weekdays > 0 ? `${formatWeekdays(s.weekdays)} ` : '';
  const date = `${formatChain(s.year, 4, false)}-${formatChain(s.month, 2, false)}${s.endOfMonth ? '~' : '-'}${formatChain(s.day, 2, false)}`;
  const time = `${formatChain(s.hour, 2, false)}:${formatChain(s.minute, 2, false)}:${formatChain(s.usec, 2, true)}`;
  const zone = s.utc ? ' UTC' : s.timezone !== undefined ? ` ${s.timezone}` : '';
  return `${weekdays}${date} ${time}${zone}`;
}
