// Timestamps as systemctl and journalctl print them (format_timestamp, format_timestamp_relative,
// journalctl's short format).
import { localZoneAbbreviation } from './local-zone.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// Building an Intl.DateTimeFormat costs about a millisecond; `show` formats a dozen timestamps.
let zoneFormat: { readonly tz: string | undefined; readonly format: Intl.DateTimeFormat } | undefined;

/** The zone's abbreviation as the C library prints it ("CET"); Intl's short name where no zone file says. */
function zoneName(date: Date): string {
  const abbreviation = localZoneAbbreviation(date.getTime());
  if (abbreviation !== undefined) return abbreviation;
  const tz = process.env['TZ'];
  if (zoneFormat === undefined || zoneFormat.tz !== tz) zoneFormat = { tz, format: new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }) };
  return zoneFormat.format.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
}

/** "Sun 2026-11-22 02:22:18 UTC" */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${WEEKDAYS[d.getDay()]} ${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zoneName(d)}`;
}

/** format_timestamp_style(TIMESTAMP_UTC): "Sun 2026-11-22 02:22:18 UTC" */
export function formatTimestampUtc(ms: number): string {
  const d = new Date(ms);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** in_utc_timezone(): the local zone is UTC all year round. */
export const inUtcTimezone = (): boolean => new Date(Date.UTC(2000, 0, 1)).getTimezoneOffset() === 0 && new Date(Date.UTC(2000, 6, 1)).getTimezoneOffset() === 0;

/** journalctl's short format: "Nov 22 02:22:18"; with `precise`, ".123" milliseconds appended. */
export function formatShortTimestamp(ms: number, precise = false): string {
  const d = new Date(ms);
  const base = `${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return precise ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

const MONTH = 2_629_800_000; // systemd's USEC_PER_MONTH (30.44 days)
const YEAR = 31_557_600_000; // systemd's USEC_PER_YEAR (365.25 days)

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "534ms ago", "1min 5s ago", "2h ago", "1 week 0 days left", ... as systemd's format_timestamp_relative(), in µs. */
export function formatRelativeUsec(nowUsec: number, thenUsec: number): string {
  const left = thenUsec > nowUsec;
  const d = Math.abs(nowUsec - thenUsec);
  const word = left ? 'left' : 'ago';
  const f = Math.floor;
  const [us, ms, sec, min, hour, day, week, month, year] = [1, 1e3, 1e6, 6e7, 36e8, 864e8, 6048e8, MONTH * 1e3, YEAR * 1e3];
  if (d >= year) return `${plural(f(d / year), 'year', 'years')} ${plural(f((d % year) / month), 'month', 'months')} ${word}`;
  if (d >= month) return `${plural(f(d / month), 'month', 'months')} ${plural(f((d % month) / day), 'day', 'days')} ${word}`;
  if (d >= week) return `${plural(f(d / week), 'week', 'weeks')} ${plural(f((d % week) / day), 'day', 'days')} ${word}`;
  if (d >= 2 * day) return `${f(d / day)} days ${word}`;
  if (d >= 25 * hour) return `1 day ${f((d - day) / hour)}h ${word}`;
  if (d >= 6 * hour) return `${f(d / hour)}h ${word}`;
  if (d >= hour) return `${f(d / hour)}h ${f((d % hour) / min)}min ${word}`;
  if (d >= 5 * min) return `${f(d / min)}min ${word}`;
  if (d >= min) return `${f(d / min)}min ${f((d % min) / sec)}s ${word}`;
  if (d >= sec) return `${f(d / sec)}s ${word}`;
  if (d >= ms) return `${f(d / ms)}ms ${word}`;
  if (d >= us) return `${f(d)}us ${word}`;
  return 'now';
}

/** formatRelativeUsec() for wall-clock milliseconds. */
export const formatRelative = (nowMs: number, thenMs: number): string => formatRelativeUsec(nowMs * 1000, thenMs * 1000);
